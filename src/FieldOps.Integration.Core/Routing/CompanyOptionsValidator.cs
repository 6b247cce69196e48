using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Core.Routing;

/// <summary>Checks the <c>Company</c> settings at start-up: one line per problem, naming the key and the value found.</summary>
public sealed class CompanyOptionsValidator : IValidateOptions<CompanyOptions>
{
    public ValidateOptionsResult Validate(string? name, CompanyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (!IsIanaZone(options.TimeZone))
            errors.Add($"{CompanyOptions.SectionName}:TimeZone: '{options.TimeZone}' is not a known IANA time zone (e.g. America/Denver, Europe/London).");
        if (options.Currency is not { Length: 3 } currency || !currency.All(char.IsAsciiLetterUpper))
            errors.Add($"{CompanyOptions.SectionName}:Currency: '{options.Currency}' is not an ISO 4217 code of three capital letters (e.g. USD, CAD).");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>True for a time zone id the system knows by its IANA name (a Windows-only id is refused).</summary>
    public static bool IsIanaZone(string? id) =>
        !string.IsNullOrWhiteSpace(id)
        && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)
        && zone.HasIanaId;
}
