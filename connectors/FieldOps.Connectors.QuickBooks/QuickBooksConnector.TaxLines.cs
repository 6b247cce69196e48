using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Connectors;

namespace FieldOps.Connectors.QuickBooks;

public sealed partial class QuickBooksConnector
{
    /// <summary>
    /// Outside the US, with the job's tax kept (<see cref="QuickBooksInvoiceTax.KeepsJobTaxOutsideTheUs"/>): the tax as
    /// <c>TxnTaxDetail.TaxLine[]</c> over the rates of the lines' tax codes, read from QuickBooks.
    /// </summary>
    private async Task<DeliveryOutcome?> AddTaxLinesAsync(JsonObject invoice, CancellationToken cancellationToken)
    {
        if (_options.Value.Tax.Mode != QuickBooksTaxMode.Global || invoice["TxnTaxDetail"] is not JsonObject detail
            || QuickBooksInvoiceCheck.Amount(detail["TotalTax"]) is not { } jobTax)
            return null;
        var lines = new List<(string Code, decimal Amount)>();
        foreach (var line in invoice["Line"] as JsonArray ?? [])
        {
            if (line?["SalesItemLineDetail"]?["TaxCodeRef"]?["value"] is { } code && QuickBooksPayload.Text(code) is { } id
                && QuickBooksInvoiceCheck.Amount(line["Amount"]) is { } amount)
                lines.Add((id, amount));
        }
        var (codes, percents, failure) = await _taxRates.ForAsync(lines.Select(l => l.Code).Distinct(StringComparer.Ordinal).ToList(), cancellationToken)
            .ConfigureAwait(false);
        if (failure is not null)
            return failure;
        var (taxLines, problem) = QuickBooksTaxLines.Build(lines, codes, percents, jobTax);
        if (problem is not null)
        {
            return DeliveryOutcome.Configuration(
                $"Invoice not created: {problem}; map taxable lines with {QuickBooksOptions.SectionName}:Tax:Codes:TAX to a taxed code, or set Tax:SendJobTax to false.");
        }
        if (taxLines is not null)
            detail["TaxLine"] = taxLines;
        return null;
    }
}
