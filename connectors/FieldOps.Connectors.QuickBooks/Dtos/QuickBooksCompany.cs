namespace FieldOps.Connectors.QuickBooks.Dtos;

/// <summary>The fields of <c>CompanyInfo</c> the setup check reads (Finance.xsd <c>CompanyInfo</c>).</summary>
internal sealed class QuickBooksCompanyInfo
{
    public string? CompanyName { get; set; }
    public string? Country { get; set; }
    public QuickBooksAddress? CompanyAddr { get; set; }
    public QuickBooksAddress? LegalAddr { get; set; }
}

/// <summary>A <c>PhysicalAddress</c>, only its country.</summary>
internal sealed class QuickBooksAddress
{
    public string? Country { get; set; }
}

/// <summary>The parts of <c>Preferences</c> the setup check reads (Finance.xsd <c>Preferences</c>).</summary>
internal sealed class QuickBooksPreferences
{
    public QuickBooksTaxPrefs? TaxPrefs { get; set; }
    public QuickBooksCurrencyPrefs? CurrencyPrefs { get; set; }
}

/// <summary><c>TaxPrefs</c>: sales tax on at all, and Automated Sales Tax (quickbooks-tax.md §0).</summary>
internal sealed class QuickBooksTaxPrefs
{
    public bool? UsingSalesTax { get; set; }
    public bool? PartnerTaxEnabled { get; set; }
}

/// <summary><c>CurrencyPrefs</c>: the home currency and whether the company keeps other currencies too.</summary>
internal sealed class QuickBooksCurrencyPrefs
{
    public bool? MultiCurrencyEnabled { get; set; }
    public QuickBooksReference? HomeCurrency { get; set; }
}

/// <summary>A <c>TaxCode</c>: the rates it applies on sales (Finance.xsd <c>TaxCode</c>, <c>TaxRateList</c>).</summary>
internal sealed class QuickBooksTaxCode
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public QuickBooksTaxRateList? SalesTaxRateList { get; set; }
}

/// <summary><c>TaxRateList</c>: <c>TaxRateDetail[]</c>.</summary>
internal sealed class QuickBooksTaxRateList
{
    public List<QuickBooksTaxRateDetail>? TaxRateDetail { get; set; }
}

/// <summary>One rate of a tax code.</summary>
internal sealed class QuickBooksTaxRateDetail
{
    public QuickBooksReference? TaxRateRef { get; set; }
}

/// <summary>A <c>TaxRate</c>: its percentage (<c>RateValue</c>, 13 for 13 %).</summary>
internal sealed class QuickBooksTaxRate
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public decimal? RateValue { get; set; }
}
