using System.Globalization;
using System.Text.Json.Nodes;
using FieldOps.Connectors.QuickBooks.Dtos;
using FieldOps.Integration.Core.Connectors;

namespace FieldOps.Connectors.QuickBooks;

/// <summary>
/// Compares an invoice as QuickBooks holds it with the job it was made from: <c>TotalAmt</c> (read-only, includes tax
/// and discounts; quickbooks-tax.md §5) against the job's total (<c>params.total</c>), and its currency against the
/// job's (<c>params.currency</c>). More than one cent apart, or another currency, is a <c>Business</c> outcome that
/// names both figures: the invoice exists but must not be sent.
/// </summary>
internal static class QuickBooksInvoiceCheck
{
    private const decimal Tolerance = 0.01m;

    public static DeliveryOutcome? Compare(string invoiceId, QuickBooksEntity invoice, QuickBooksPayload payload)
    {
        var currency = payload.Param("currency");
        var theirs = invoice.CurrencyRef?.Value;
        if (currency is not null && theirs is not null && !string.Equals(currency, theirs, StringComparison.OrdinalIgnoreCase))
        {
            return DeliveryOutcome.Business(
                $"QuickBooks invoice {invoiceId} is in {theirs} but the job is in {currency}: not sent; the company's currency must match the job's.",
                invoiceId, "Invoice");
        }
        if (Amount(payload.Params["total"]) is not { } expected)
            return null;
        if (invoice.TotalAmt is not { } total)
            return DeliveryOutcome.Business($"QuickBooks invoice {invoiceId} came back without TotalAmt; the job totals {Show(expected)}: not sent.", invoiceId, "Invoice");
        if (Math.Abs(total - expected) <= Tolerance)
            return null;
        var tax = invoice.TxnTaxDetail?.TotalTax is { } t ? $", of which tax {Show(t)}" : "";
        var unit = currency ?? theirs;
        return DeliveryOutcome.Business(
            $"QuickBooks invoice {invoiceId} totals {Show(total)}{Unit(unit)}{tax}, but the job totals {Show(expected)}{Unit(unit)} " +
            $"(difference {Show(total - expected)}): not sent. Check the items' and customer's taxability and Connectors:QuickBooks:Tax.",
            invoiceId, "Invoice");
    }

    /// <summary>An amount from the payload, exactly as written (a JSON number or a string), or null.</summary>
    public static decimal? Amount(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<decimal>(out var d) => d,
        JsonValue value when value.TryGetValue<string>(out var s)
            && decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    private static string Show(decimal amount) => amount.ToString("0.00##", CultureInfo.InvariantCulture);

    private static string Unit(string? currency) => currency is null ? "" : " " + currency;
}
