using FieldOps.Integration.Host.Admin;
using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Host.Ops;

/// <summary>The page logs in with the admin API key, so it cannot be on while the admin API is off.</summary>
internal sealed class OpsOptionsValidator(IOptions<AdminOptions> admin) : IValidateOptions<OpsOptions>
{
    public ValidateOptionsResult Validate(string? name, OpsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
            return ValidateOptionsResult.Success;
        if (!admin.Value.IsEnabled)
            return ValidateOptionsResult.Fail("Ops:Enabled: true needs the admin API on: set Admin__ApiKey (16+ characters); it is the page's password");
        if (options.SessionLifetime <= TimeSpan.Zero)
            return ValidateOptionsResult.Fail($"Ops:SessionLifetime: must be positive (found {options.SessionLifetime})");
        if (options.PageSize is < 1 or > 1000)
            return ValidateOptionsResult.Fail($"Ops:PageSize: must be 1 to 1000 (found {options.PageSize})");
        return ValidateOptionsResult.Success;
    }
}
