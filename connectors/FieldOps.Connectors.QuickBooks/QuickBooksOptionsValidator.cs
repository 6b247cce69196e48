using Microsoft.Extensions.Options;

namespace FieldOps.Connectors.QuickBooks;

/// <summary>Checks the QuickBooks options at start-up, naming the values found (never a secret's value).</summary>
internal sealed class QuickBooksOptionsValidator : IValidateOptions<QuickBooksOptions>
{
    public ValidateOptionsResult Validate(string? name, QuickBooksOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.RealmId))
            errors.Add("Connectors:QuickBooks:RealmId is required (the company id from the OAuth redirect).");
        else if (!options.RealmId.All(char.IsAsciiDigit))
            errors.Add($"Connectors:QuickBooks:RealmId must be digits; found '{options.RealmId}'.");
        if (!options.BaseUrl.IsAbsoluteUri)
            errors.Add($"Connectors:QuickBooks:BaseUrl must be an absolute URL; found '{options.BaseUrl}'.");
        if (!options.TokenUrl.IsAbsoluteUri)
            errors.Add($"Connectors:QuickBooks:TokenUrl must be an absolute URL; found '{options.TokenUrl}'.");
        if (options.MinorVersion < 75)
            errors.Add($"Connectors:QuickBooks:MinorVersion must be 75 or more (1–74 are retired); found {options.MinorVersion}.");
        if (string.IsNullOrWhiteSpace(options.ClientId))
            errors.Add("Connectors:QuickBooks:ClientId is required.");
        if (string.IsNullOrWhiteSpace(options.ClientSecret))
            errors.Add("Connectors:QuickBooks:ClientSecret is required; set it in the environment as Connectors__QuickBooks__ClientSecret.");
        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromSeconds(120))
            errors.Add($"Connectors:QuickBooks:Timeout must be between 0 and 120 seconds; found {options.Timeout}.");
        if (options.CompanySetupLifetime < TimeSpan.FromMinutes(1) || options.CompanySetupLifetime > TimeSpan.FromDays(1))
            errors.Add($"Connectors:QuickBooks:CompanySetupLifetime must be between 1 minute and 1 day; found {options.CompanySetupLifetime}.");
        if (options.MaxStaleRetries is < 0 or > 10)
            errors.Add($"Connectors:QuickBooks:MaxStaleRetries must be 0–10; found {options.MaxStaleRetries}.");
        if (options.RequestsPerMinute is < 1 or > QuickBooksLimits.RequestsPerMinute)
            errors.Add($"Connectors:QuickBooks:RequestsPerMinute must be 1–{QuickBooksLimits.RequestsPerMinute}; found {options.RequestsPerMinute}.");
        if (options.MaxConcurrentRequests is < 1 or > QuickBooksLimits.MaxConcurrentRequests)
            errors.Add($"Connectors:QuickBooks:MaxConcurrentRequests must be 1–{QuickBooksLimits.MaxConcurrentRequests}; found {options.MaxConcurrentRequests}.");
        ValidateInvoicing(options, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateInvoicing(QuickBooksOptions options, List<string> errors)
    {
        const string Section = "Connectors:QuickBooks";
        if (options.MissingItem == QuickBooksMissingItem.Fallback && string.IsNullOrWhiteSpace(options.FallbackItem))
            errors.Add($"{Section}:FallbackItem is required when {Section}:MissingItem is Fallback (the Item id unmatched lines are booked to).");
        if (options.MissingItem == QuickBooksMissingItem.Create && string.IsNullOrWhiteSpace(options.NewItemIncomeAccount))
            errors.Add($"{Section}:NewItemIncomeAccount is required when {Section}:MissingItem is Create (the income Account id of new Service items).");
        foreach (var (name, id) in options.Items)
        {
            if (string.IsNullOrWhiteSpace(id))
                errors.Add($"{Section}:Items:{name} is empty; give the QuickBooks Item id.");
        }
        var tax = options.Tax;
        if (tax.Mode == QuickBooksTaxMode.UsManual && string.IsNullOrWhiteSpace(tax.TransactionCode))
            errors.Add($"{Section}:Tax:TransactionCode is required when {Section}:Tax:Mode is UsManual (the TaxCode id of the invoice).");
        foreach (var (product, code) in tax.ItemCodes)
        {
            var known = code is { Length: > 0 } && (tax.Codes.ContainsKey(code)
                || code.Equals(QuickBooksInvoiceTax.Taxable, StringComparison.OrdinalIgnoreCase)
                || code.Equals(QuickBooksInvoiceTax.NotTaxable, StringComparison.OrdinalIgnoreCase));
            if (!known)
                errors.Add($"{Section}:Tax:ItemCodes:{product} is '{code}', which is not a code of {Section}:Tax:Codes; add {Section}:Tax:Codes:{code} = <TaxCode id>.");
        }
        if (tax.Mode == QuickBooksTaxMode.Global)
        {
            foreach (var code in new[] { QuickBooksInvoiceTax.Taxable, QuickBooksInvoiceTax.NotTaxable })
            {
                if (!tax.Codes.TryGetValue(code, out var id) || string.IsNullOrWhiteSpace(id))
                    errors.Add($"{Section}:Tax:Codes:{code} is required when {Section}:Tax:Mode is Global (the TaxCode id of {(code == QuickBooksInvoiceTax.Taxable ? "taxable" : "non-taxable")} lines).");
            }
            if (tax.GlobalTaxCalculation is not ("TaxExcluded" or "TaxInclusive"))
                errors.Add($"{Section}:Tax:GlobalTaxCalculation must be TaxExcluded or TaxInclusive; found '{tax.GlobalTaxCalculation}'.");
        }
    }
}
