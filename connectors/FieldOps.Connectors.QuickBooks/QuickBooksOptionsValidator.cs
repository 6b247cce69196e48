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
        if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout > TimeSpan.FromSeconds(120))
            errors.Add($"Connectors:QuickBooks:RequestTimeout must be between 0 and 120 seconds; found {options.RequestTimeout}.");
        if (options.MaxStaleRetries is < 0 or > 10)
            errors.Add($"Connectors:QuickBooks:MaxStaleRetries must be 0–10; found {options.MaxStaleRetries}.");
        if (options.RequestsPerMinute is < 1 or > QuickBooksLimits.RequestsPerMinute)
            errors.Add($"Connectors:QuickBooks:RequestsPerMinute must be 1–{QuickBooksLimits.RequestsPerMinute}; found {options.RequestsPerMinute}.");
        if (options.MaxConcurrentRequests is < 1 or > QuickBooksLimits.MaxConcurrentRequests)
            errors.Add($"Connectors:QuickBooks:MaxConcurrentRequests must be 1–{QuickBooksLimits.MaxConcurrentRequests}; found {options.MaxConcurrentRequests}.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
