using FieldOps.Integration.Core.Secrets;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Core.Credentials;

/// <summary>Registers the credentials store's Core side.</summary>
public static class CredentialsServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IAccessTokenProvider"/>, token encryption (Data Protection keys in <c>Credentials:KeysDirectory</c>)
    /// and the <c>connections</c> readiness check. An <see cref="ITokenStore"/> must be registered too (the store's).
    /// </summary>
    public static IServiceCollection AddFieldOpsCredentials(this IServiceCollection services)
    {
        services.AddOptions<CredentialsOptions>().BindConfiguration(CredentialsOptions.SectionName)
            .Validate(o => !string.IsNullOrWhiteSpace(o.KeysDirectory), "Credentials:KeysDirectory: must name a folder.")
            .Validate(o => o.RefreshLease > TimeSpan.Zero && o.RefreshWaitLimit > TimeSpan.Zero && o.RefreshPollInterval > TimeSpan.Zero,
                "Credentials: RefreshLease, RefreshWaitLimit and RefreshPollInterval must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddDataProtection().SetApplicationName("FieldOps.Integration");
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<CredentialsOptions>, ILoggerFactory>((keys, credentials, loggers) =>
            keys.XmlRepository = new OwnerOnlyXmlRepository(credentials.Value.KeysDirectory, loggers));
        services.AddSecretScrubber();
        services.TryAddSingleton<TokenProtector>();
        services.TryAddSingleton<ConnectionStatus>();
        services.TryAddSingleton<IAccessTokenProvider, AccessTokenProvider>();
        services.AddHealthChecks().AddCheck<BrokenConnectionsHealthCheck>("connections", tags: ["ready"]);
        return services;
    }
}
