using Microsoft.Extensions.Options;

namespace FieldOps.Connectors.HubSpot;

/// <summary>Rules that span several <see cref="HubSpotOptions"/> fields; silent when the connector is not configured.</summary>
internal sealed class HubSpotOptionsValidator : IValidateOptions<HubSpotOptions>
{
    public ValidateOptionsResult Validate(string? name, HubSpotOptions options)
    {
        var errors = new List<string>();
        if (options.AuthMode == HubSpotAuthMode.PrivateApp && string.IsNullOrWhiteSpace(options.AccessToken))
            errors.Add("Connectors:HubSpot:AccessToken (the private-app token) is required for AuthMode PrivateApp (set Connectors__HubSpot__AccessToken).");
        if (options.AuthMode == HubSpotAuthMode.OAuth && (string.IsNullOrWhiteSpace(options.ClientId) || string.IsNullOrWhiteSpace(options.ClientSecret)))
            errors.Add("Connectors:HubSpot:ClientId and ClientSecret are required for AuthMode OAuth (set Connectors__HubSpot__ClientSecret).");
        if (!options.BaseUrl.IsAbsoluteUri)
            errors.Add($"Connectors:HubSpot:BaseUrl must be an absolute URL, found '{options.BaseUrl}'.");
        if (string.IsNullOrWhiteSpace(options.ObjectsPath) || options.ObjectsPath.StartsWith('/') || options.ObjectsPath.EndsWith('/'))
            errors.Add($"Connectors:HubSpot:ObjectsPath must be a relative path like crm/v3/objects, found '{options.ObjectsPath}'.");
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(options.AccountTimeZone, out _))
            errors.Add($"Connectors:HubSpot:AccountTimeZone '{options.AccountTimeZone}' is not a known time zone id (e.g. America/New_York).");
        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromMinutes(10))
            errors.Add($"Connectors:HubSpot:Timeout must be between 0 and 10 minutes, found {options.Timeout}.");
        if (options.BurstWait <= TimeSpan.Zero)
            errors.Add($"Connectors:HubSpot:BurstWait must be positive, found {options.BurstWait}.");
        if (options.SearchIndexLag < TimeSpan.Zero || options.SearchIndexLag > TimeSpan.FromMinutes(10))
            errors.Add($"Connectors:HubSpot:SearchIndexLag must be between 0 and 10 minutes, found {options.SearchIndexLag}.");
        if (string.IsNullOrWhiteSpace(options.ClosedStageId) || string.IsNullOrWhiteSpace(options.TicketPipelineId))
            errors.Add("Connectors:HubSpot:TicketPipelineId and ClosedStageId must not be empty.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
