namespace FieldOps.Connectors.QuickBooks;

/// <summary>
/// How the QuickBooks company handles sales tax (<c>Connectors:QuickBooks:Tax</c>): read it from QuickBooks
/// (Settings → Taxes; <c>GET /preferences</c> <c>TaxPrefs</c>, <c>CompanyInfo.Country</c>) and set it once.
/// </summary>
public sealed class QuickBooksTaxOptions
{
    /// <summary>The company's tax setup. <value>The default value is <see cref="QuickBooksTaxMode.UsAutomated"/>.</value></summary>
    public QuickBooksTaxMode Mode { get; set; } = QuickBooksTaxMode.UsAutomated;

    /// <summary>
    /// Tax code ids by the name a job line carries: <c>TAX</c> and <c>NON</c> (taxable / not taxable) and any code a
    /// multi-code company uses (<c>Connectors:QuickBooks:Tax:Codes:{name}</c>). Outside the US every line needs one;
    /// in the US a named code becomes the invoice's <c>TxnTaxCodeRef</c> (lines stay <c>TAX</c>/<c>NON</c>).
    /// </summary>
    public Dictionary<string, string> Codes { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The tax-code table by product or service: the code name (a key of <see cref="Codes"/>) a taxable line of that
    /// product gets instead of <c>TAX</c> (<c>Connectors:QuickBooks:Tax:ItemCodes:{product or service name}</c>). For
    /// sources such as Jobber whose lines say only whether they are taxable, this is how a company with several codes
    /// (e.g. HST on services, GST only on parts) gets the right code per line. Lines that are not taxable stay <c>NON</c>.
    /// </summary>
    public Dictionary<string, string> ItemCodes { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>US: the TaxCode id (a rate or a group) of the invoice when its lines name none. Required for <c>UsManual</c>.</summary>
    public string? TransactionCode { get; set; }

    /// <summary>
    /// Send the job's own tax, so QuickBooks keeps the field-service figure instead of computing its own: in the US as
    /// <c>TxnTaxDetail.TotalTax</c>; elsewhere (with <c>TaxExcluded</c>) as <c>TxnTaxDetail.TaxLine</c> over the rates of
    /// the lines' tax codes. <value>The default value is true.</value>
    /// </summary>
    public bool SendJobTax { get; set; } = true;

    /// <summary>Outside the US: whether job prices include tax. <value>The default value is <c>TaxExcluded</c>.</value></summary>
    public string GlobalTaxCalculation { get; set; } = "TaxExcluded";
}
