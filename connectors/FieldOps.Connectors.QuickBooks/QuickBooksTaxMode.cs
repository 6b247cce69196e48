namespace FieldOps.Connectors.QuickBooks;

/// <summary>The four ways a QuickBooks Online company does sales tax (quickbooks-tax.md §0–§3).</summary>
public enum QuickBooksTaxMode
{
    /// <summary>A US company on Automated Sales Tax (created after 2017-11-10): lines TAX/NON, QuickBooks picks the rate.</summary>
    UsAutomated,

    /// <summary>A US company on manual (legacy) sales tax: lines TAX/NON, one tax code for the whole invoice.</summary>
    UsManual,

    /// <summary>Outside the US (CA, UK, AU, IN…): every line carries a TaxCode id; prices tax-exclusive or inclusive.</summary>
    Global,

    /// <summary>Sales tax is off (<c>UsingSalesTax</c> false): no tax codes are sent.</summary>
    None,
}
