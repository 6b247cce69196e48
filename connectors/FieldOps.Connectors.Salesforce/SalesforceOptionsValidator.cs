using Microsoft.Extensions.Options;

namespace FieldOps.Connectors.Salesforce;

/// <summary>Rules that span several <see cref="SalesforceOptions"/> fields; silent when the connector is not configured.</summary>
internal sealed class SalesforceOptionsValidator : IValidateOptions<SalesforceOptions>
{
    public ValidateOptionsResult Validate(string? name, SalesforceOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ClientId))
            errors.Add("Connectors:Salesforce:ClientId is required.");
        if (!options.LoginUrl.IsAbsoluteUri || options.LoginUrl.Scheme is not ("https" or "http"))
            errors.Add($"Connectors:Salesforce:LoginUrl must be an absolute http(s) URL, found '{options.LoginUrl}'.");
        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromMinutes(10))
            errors.Add($"Connectors:Salesforce:Timeout must be between 0 and 10 minutes, found {options.Timeout}.");
        if (options.AuthFlow == SalesforceAuthFlow.ClientCredentials && string.IsNullOrWhiteSpace(options.ClientSecret))
            errors.Add("Connectors:Salesforce:ClientSecret is required for AuthFlow ClientCredentials (set Connectors__Salesforce__ClientSecret).");
        if (options.AuthFlow == SalesforceAuthFlow.JwtBearer)
        {
            if (string.IsNullOrWhiteSpace(options.Username))
                errors.Add("Connectors:Salesforce:Username is required for AuthFlow JwtBearer.");
            if (string.IsNullOrWhiteSpace(options.PrivateKeyPath) == string.IsNullOrWhiteSpace(options.PrivateKeyVariable))
                errors.Add("AuthFlow JwtBearer needs exactly one of Connectors:Salesforce:PrivateKeyPath or PrivateKeyVariable, "
                    + $"found PrivateKeyPath='{options.PrivateKeyPath}', PrivateKeyVariable='{options.PrivateKeyVariable}'.");
            else if (options.PrivateKeyPath is { Length: > 0 } path && !File.Exists(path))
                errors.Add($"Connectors:Salesforce:PrivateKeyPath '{path}' does not exist.");
            else if (options.PrivateKeyVariable is { Length: > 0 } variable && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable)))
                errors.Add($"The environment variable '{variable}' named by Connectors:Salesforce:PrivateKeyVariable is empty.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
