using Microsoft.Extensions.Options;

namespace FieldOps.Connectors.BambooHR;

/// <summary>Checks the BambooHR options at start-up, naming the values found (never a secret's value).</summary>
internal sealed class BambooHROptionsValidator : IValidateOptions<BambooHROptions>
{
    private static readonly string[] RateTypes = ["REG", "OT", "DT"];

    public ValidateOptionsResult Validate(string? name, BambooHROptions options)
    {
        var errors = new List<string>();
        if (options.BaseUrl is null || !options.BaseUrl.IsAbsoluteUri)
            errors.Add($"Connectors:BambooHR:BaseUrl must be an absolute URL such as https://acme.bamboohr.com; found '{options.BaseUrl}'.");
        if (options.AuthMode == BambooHRAuthMode.ApiKey && string.IsNullOrWhiteSpace(options.ApiKey))
            errors.Add("Connectors:BambooHR:ApiKey is required when AuthMode is ApiKey; set it in the environment as Connectors__BambooHR__ApiKey.");
        if (options.AuthMode == BambooHRAuthMode.OAuth)
        {
            if (string.IsNullOrWhiteSpace(options.ClientId))
                errors.Add("Connectors:BambooHR:ClientId is required when AuthMode is OAuth.");
            if (string.IsNullOrWhiteSpace(options.ClientSecret))
                errors.Add("Connectors:BambooHR:ClientSecret is required when AuthMode is OAuth; set it as Connectors__BambooHR__ClientSecret.");
        }
        if (options.TokenUrl is { IsAbsoluteUri: false })
            errors.Add($"Connectors:BambooHR:TokenUrl must be an absolute URL; found '{options.TokenUrl}'.");
        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromMinutes(5))
            errors.Add($"Connectors:BambooHR:Timeout must be between 0 and 5 minutes; found {options.Timeout}.");
        if (options.EmployeeCacheDuration < TimeSpan.Zero)
            errors.Add($"Connectors:BambooHR:EmployeeCacheDuration must not be negative; found {options.EmployeeCacheDuration}.");
        if (options.MaxBatchSize is < 1 or > 1000)
            errors.Add($"Connectors:BambooHR:MaxBatchSize must be 1–1000; found {options.MaxBatchSize}.");
        if (!RateTypes.Contains(options.DefaultRateType, StringComparer.Ordinal))
            errors.Add($"Connectors:BambooHR:DefaultRateType must be REG, OT or DT; found '{options.DefaultRateType}'.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
