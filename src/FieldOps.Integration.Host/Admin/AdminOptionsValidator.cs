using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Host.Admin;

/// <summary>An enabled admin API needs a key of at least <see cref="AdminOptions.MinimumKeyLength"/> characters.</summary>
internal sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminOptions options)
    {
        if (!options.IsEnabled)
            return ValidateOptionsResult.Success;
        if (string.IsNullOrEmpty(options.ApiKey))
        {
            return ValidateOptionsResult.Fail(
                "Admin:ApiKey: the admin API is enabled (Admin:Enabled=true) but no key is set; set the environment variable Admin__ApiKey, or Admin:Enabled=false.");
        }
        return options.ApiKey.Length < AdminOptions.MinimumKeyLength
            ? ValidateOptionsResult.Fail($"Admin:ApiKey: the key has {options.ApiKey.Length} characters; use at least {AdminOptions.MinimumKeyLength}.")
            : ValidateOptionsResult.Success;
    }
}
