namespace FieldOps.Connectors.QuickBooks;

/// <summary>
/// Compares the company's setup in QuickBooks with this service's configuration: the tax setup
/// (<c>Connectors:QuickBooks:Tax:Mode</c>) and the currency (<c>Company:Currency</c>, or a job's own). Each mismatch is
/// one sentence naming both values; the caller decides what it means (a dead letter, a readiness message).
/// </summary>
internal static class QuickBooksCompanySetupCheck
{
    /// <summary>Everything that does not match, empty when all does (or QuickBooks did not say enough to tell).</summary>
    public static IReadOnlyList<string> Mismatches(QuickBooksCompanySetup setup, QuickBooksTaxMode mode, string? currency, string currencySource)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var found = new List<string>(2);
        if (Tax(setup, mode) is { } tax)
            found.Add(tax);
        if (Currency(setup, currency, currencySource) is { } money)
            found.Add(money);
        return found;
    }

    private static string? Tax(QuickBooksCompanySetup setup, QuickBooksTaxMode mode)
    {
        var modes = setup.TaxModes;
        if (modes.Count == 0 || modes.Contains(mode))
            return null;
        return $"{QuickBooksOptions.SectionName}:Tax:Mode is {mode}, but QuickBooks company {setup.Name} is set up for " +
               $"{string.Join(" or ", modes)} ({setup.TaxFacts})";
    }

    private static string? Currency(QuickBooksCompanySetup setup, string? currency, string source)
    {
        if (currency is null || setup.HomeCurrency is null || setup.MultiCurrencyEnabled
            || string.Equals(currency, setup.HomeCurrency, StringComparison.OrdinalIgnoreCase))
            return null;
        return $"{source} is {currency.ToUpperInvariant()}, but QuickBooks company {setup.Name} keeps its books in {setup.HomeCurrency} " +
               "(Preferences.CurrencyPrefs.HomeCurrency) and multi-currency is off";
    }
}
