using System.Globalization;
using FieldOps.Connectors.QuickBooks.Dtos;

namespace FieldOps.Connectors.QuickBooks;

/// <summary>
/// A QuickBooks company's own setup as QuickBooks reports it (quickbooks-tax.md §0): the country
/// (<c>CompanyInfo.Country</c>, else its company or legal address), the home currency and multi-currency
/// (<c>Preferences.CurrencyPrefs</c>), sales tax on and Automated Sales Tax (<c>Preferences.TaxPrefs</c>).
/// </summary>
internal sealed record QuickBooksCompanySetup(
    string Realm, string? CompanyName, string? Country, string? HomeCurrency, bool MultiCurrencyEnabled,
    bool? UsingSalesTax, bool? PartnerTaxEnabled, DateTimeOffset ReadAt)
{
    public static QuickBooksCompanySetup From(string realm, QuickBooksCompanyInfo? info, QuickBooksPreferences? preferences, DateTimeOffset readAt)
    {
        var country = Blank(info?.Country) ?? Blank(info?.CompanyAddr?.Country) ?? Blank(info?.LegalAddr?.Country);
        return new QuickBooksCompanySetup(
            realm, Blank(info?.CompanyName), country is null ? null : NormalizeCountry(country),
            Blank(preferences?.CurrencyPrefs?.HomeCurrency?.Value)?.ToUpperInvariant(),
            preferences?.CurrencyPrefs?.MultiCurrencyEnabled ?? false,
            preferences?.TaxPrefs?.UsingSalesTax, preferences?.TaxPrefs?.PartnerTaxEnabled, readAt);
    }

    public bool? IsUs => Country is null ? null : Country == "US";

    /// <summary>
    /// The tax modes this company can be run with; empty when QuickBooks did not say enough to tell. Sales tax off
    /// is <see cref="QuickBooksTaxMode.None"/>; US with <c>PartnerTaxEnabled</c> is Automated Sales Tax, without it manual;
    /// a company that predates AST may not report the flag at all (quickbooks-tax.md §0, weak), so then either US mode.
    /// </summary>
    public IReadOnlyList<QuickBooksTaxMode> TaxModes
    {
        get
        {
            if (UsingSalesTax == false)
                return [QuickBooksTaxMode.None];
            List<QuickBooksTaxMode> modes = IsUs switch
            {
                null => [],
                false => [QuickBooksTaxMode.Global],
                true => PartnerTaxEnabled switch
                {
                    true => [QuickBooksTaxMode.UsAutomated],
                    false => [QuickBooksTaxMode.UsManual],
                    null => [QuickBooksTaxMode.UsAutomated, QuickBooksTaxMode.UsManual],
                },
            };
            if (UsingSalesTax is null && modes.Count > 0)
                modes.Add(QuickBooksTaxMode.None);
            return modes;
        }
    }

    /// <summary>The company as an admin finds it: <c>'Maple Heating' (realm 9341…)</c>.</summary>
    public string Name => CompanyName is null ? $"realm {Realm}" : $"'{CompanyName}' (realm {Realm})";

    /// <summary>QuickBooks' own values behind <see cref="TaxModes"/>, for messages.</summary>
    public string TaxFacts => string.Create(CultureInfo.InvariantCulture,
        $"CompanyInfo.Country {Country ?? "(none)"}, Preferences.TaxPrefs.UsingSalesTax {Show(UsingSalesTax)}, " +
        $"PartnerTaxEnabled {Show(PartnerTaxEnabled)}");

    private static string Show(bool? value) => value switch { true => "true", false => "false", null => "(absent)" };

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string NormalizeCountry(string country) => country.ToUpperInvariant() switch
    {
        "US" or "USA" or "UNITED STATES" or "UNITED STATES OF AMERICA" => "US",
        var other => other,
    };
}
