using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Connectors;

namespace FieldOps.Connectors.QuickBooks;

/// <summary>
/// Shapes an invoice's tax for the company's setup (quickbooks-tax.md). A flow names each line's tax code
/// symbolically — <c>TaxCodeRef.name</c> = <c>TAX</c>, <c>NON</c> or a code of a multi-code company — and gives the job's
/// tax as <c>TxnTaxDetail.TotalTax</c>; this turns that into what QuickBooks expects: US lines carry the pseudo codes
/// TAX/NON and the invoice one <c>TxnTaxCodeRef</c> (§1, §2); non-US lines carry TaxCode ids and the invoice
/// <c>GlobalTaxCalculation</c>, no <c>TxnTaxCodeRef</c> (§3); with sales tax off nothing is sent (§0).
/// </summary>
internal static class QuickBooksInvoiceTax
{
    public const string Taxable = "TAX";
    public const string NotTaxable = "NON";
    private const string Section = "Connectors:QuickBooks:Tax";

    /// <summary>
    /// Gives each taxable line (<c>TAX</c>) whose product or service (<c>ItemRef.name</c>) is in the tax-code table
    /// <see cref="QuickBooksTaxOptions.ItemCodes"/> that code name; done before items are resolved, while every line
    /// still names its product.
    /// </summary>
    public static void NameItemCodes(JsonObject invoice, QuickBooksTaxOptions tax)
    {
        if (tax.ItemCodes.Count == 0)
            return;
        foreach (var line in invoice["Line"] as JsonArray ?? [])
        {
            if (line?["SalesItemLineDetail"] is not JsonObject detail || detail["TaxCodeRef"] is not JsonObject reference
                || QuickBooksPayload.Text(reference["value"]) is not null
                || !string.Equals(QuickBooksPayload.Text(reference["name"]), Taxable, StringComparison.OrdinalIgnoreCase)
                || QuickBooksPayload.Text(detail["ItemRef"]?["name"]) is not { } product
                || !tax.ItemCodes.TryGetValue(product, out var code) || string.IsNullOrWhiteSpace(code))
                continue;
            reference["name"] = code;
        }
    }

    /// <summary>Rewrites <paramref name="invoice"/> in place; an outcome only when a code cannot be mapped.</summary>
    public static DeliveryOutcome? Apply(JsonObject invoice, QuickBooksOptions options)
    {
        var tax = options.Tax;
        var named = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        var lines = invoice["Line"] as JsonArray ?? [];
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i] is not JsonObject line)
                continue;
            if (line["DiscountLineDetail"] is JsonObject discount && options.DiscountAccount is { Length: > 0 } account && discount["DiscountAccountRef"] is null)
                discount["DiscountAccountRef"] = new JsonObject { ["value"] = account };
            if (line["SalesItemLineDetail"] is not JsonObject detail)
                continue;
            if (tax.Mode == QuickBooksTaxMode.None)
            {
                detail.Remove("TaxCodeRef");
                continue;
            }
            if (LineCode(detail, i, tax, named) is { } failure)
                return failure;
        }

        if (tax.Mode != QuickBooksTaxMode.Global)
            invoice.Remove("GlobalTaxCalculation"); // not for US companies (§3)
        switch (tax.Mode)
        {
            case QuickBooksTaxMode.None:
                invoice.Remove("TxnTaxDetail"); // ignored and not stored when sales tax is off (§0)
                return null;
            case QuickBooksTaxMode.Global:
                // TxnTaxCodeRef is US only (§3). The job's tax stays (as TotalTax, to be spread over tax lines, §3) only
                // when it is to be kept and prices exclude tax; otherwise QuickBooks computes it from the line codes.
                var jobTax = invoice["TxnTaxDetail"]?["TotalTax"]?.DeepClone();
                invoice.Remove("TxnTaxDetail");
                invoice["GlobalTaxCalculation"] ??= tax.GlobalTaxCalculation;
                if (jobTax is not null && KeepsJobTaxOutsideTheUs(tax, invoice))
                    invoice["TxnTaxDetail"] = new JsonObject { ["TotalTax"] = jobTax };
                return null;
            default:
                return Transaction(invoice, tax, named);
        }
    }

    /// <summary>
    /// Outside the US the job's tax is sent as tax lines when <c>Tax:SendJobTax</c> is on and prices exclude tax; with
    /// <c>TaxInclusive</c> the sources do not settle whether line amounts are then net or gross (quickbooks-tax.md, "What
    /// the sources do not settle"), so QuickBooks computes the tax and the total check judges the result.
    /// </summary>
    public static bool KeepsJobTaxOutsideTheUs(QuickBooksTaxOptions tax, JsonObject invoice) =>
        tax.SendJobTax && string.Equals(QuickBooksPayload.Text(invoice["GlobalTaxCalculation"]) ?? tax.GlobalTaxCalculation, "TaxExcluded", StringComparison.Ordinal);

    private static DeliveryOutcome? LineCode(JsonObject detail, int index, QuickBooksTaxOptions tax, SortedSet<string> named)
    {
        if (detail["TaxCodeRef"] is not JsonObject reference)
        {
            // A US line without a code is TAX since 2018 (§1) and the shipped flow always names one; outside the US
            // QuickBooks refuses the line (§6), so say which line here.
            if (tax.Mode != QuickBooksTaxMode.Global)
                return null;
            return DeliveryOutcome.Permanent(
                $"Invoice line {index + 1} has no TaxCodeRef; the flow must say whether the line is taxable (TAX/NON or a tax code name).",
                [$"Line[{index}].SalesItemLineDetail.TaxCodeRef"]);
        }
        if (QuickBooksPayload.Text(reference["value"]) is not null)
            return null; // an id given by the flow is sent as it is
        var name = QuickBooksPayload.Text(reference["name"]);
        reference.Remove("name");
        if (name is null)
            return DeliveryOutcome.Permanent($"Invoice line {index + 1} has a TaxCodeRef with neither value nor name.", [$"Line[{index}].SalesItemLineDetail.TaxCodeRef"]);
        if (tax.Mode == QuickBooksTaxMode.Global)
        {
            if (!tax.Codes.TryGetValue(name, out var id) || string.IsNullOrWhiteSpace(id))
            {
                return DeliveryOutcome.Permanent(
                    $"No QuickBooks tax code for '{name}' (invoice line {index + 1}): map it with {Section}:Codes:{name} = <TaxCode id>.",
                    [$"Line[{index}].SalesItemLineDetail.TaxCodeRef"]);
            }
            reference["value"] = id;
            return null;
        }
        var pseudo = name.ToUpperInvariant();
        if (pseudo is not (Taxable or NotTaxable))
        {
            named.Add(name); // a US line is TAX or NON; the code it names becomes the invoice's code
            pseudo = Taxable;
        }
        reference["value"] = pseudo;
        return null;
    }

    private static DeliveryOutcome? Transaction(JsonObject invoice, QuickBooksTaxOptions tax, SortedSet<string> named)
    {
        if (named.Count > 1)
        {
            return DeliveryOutcome.Permanent(
                $"A US QuickBooks invoice carries one tax code for the whole transaction; the job's lines name {string.Join(", ", named)}.",
                ["TxnTaxDetail.TxnTaxCodeRef"]);
        }
        var code = tax.TransactionCode;
        if (named.Count == 1)
        {
            var name = named.Min!;
            if (!tax.Codes.TryGetValue(name, out var id) || string.IsNullOrWhiteSpace(id))
                return DeliveryOutcome.Permanent($"No QuickBooks tax code for '{name}': map it with {Section}:Codes:{name} = <TaxCode id>.", ["TxnTaxDetail.TxnTaxCodeRef"]);
            code = id;
        }
        if (invoice["TxnTaxDetail"] is not JsonObject detail)
        {
            detail = [];
            invoice["TxnTaxDetail"] = detail;
        }
        if (code is { Length: > 0 } && detail["TxnTaxCodeRef"] is null)
            detail["TxnTaxCodeRef"] = new JsonObject { ["value"] = code };
        if (!tax.SendJobTax)
            detail.Remove("TotalTax");
        if (detail.Count == 0)
            invoice.Remove("TxnTaxDetail");
        return null;
    }
}
