using Microsoft.Extensions.Options;

namespace FieldOps.Connectors.Http;

/// <summary>Checks <c>Connectors:Http</c>, naming the key and the value found.</summary>
public sealed class HttpConnectorOptionsValidator : IValidateOptions<HttpConnectorOptions>
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    public ValidateOptionsResult Validate(string? name, HttpConnectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.Timeout <= TimeSpan.Zero)
            errors.Add($"Connectors:Http:Timeout: {options.Timeout} must be positive.");
        foreach (var (key, endpoint) in options.Endpoints)
        {
            var prefix = $"Connectors:Http:Endpoints:{key}";
            if (string.IsNullOrWhiteSpace(endpoint.Url) || !endpoint.Url.StartsWith("http", StringComparison.OrdinalIgnoreCase))
                errors.Add($"{prefix}:Url: '{endpoint.Url}' is not an http(s) URL.");
            if (!Methods.Contains(endpoint.Method.ToUpperInvariant()))
                errors.Add($"{prefix}:Method: '{endpoint.Method}' is not one of {string.Join(", ", Methods)}.");
            foreach (var code in endpoint.SuccessStatusCodes.Concat(endpoint.RetryStatusCodes).Where(c => c is < 100 or > 599))
                errors.Add($"{prefix}: status code {code} is out of range 100..599.");
        }
        foreach (var (key, connection) in options.Connections)
        {
            if (connection.TokenUrl is null)
                errors.Add($"Connectors:Http:Connections:{key}:TokenUrl: is required.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
