using FieldOps.Integration.Core.Secrets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FieldOps.Integration.Core.Credentials;

/// <summary>Registers the credentials store's Core side.</summary>
public static class CredentialsServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IAccessTokenProvider"/>, <see cref="TokenProtector"/> and the <c>connections</c> readiness check.
    /// The store must be registered too: its <see cref="ITokenStore"/> and its <see cref="ITokenCipher"/> (the key ring in
    /// <c>Credentials:KeysDirectory</c>), both added by <c>AddDispatchStores</c>.
    /// </summary>
    public static IServiceCollection AddFieldOpsCredentials(this IServiceCollection services)
    {
        services.AddOptions<CredentialsOptions>().BindConfiguration(CredentialsOptions.SectionName)
            .Validate(o => !string.IsNullOrWhiteSpace(o.KeysDirectory), "Credentials:KeysDirectory: must name a folder.")
            .Validate(o => o.RefreshLease > TimeSpan.Zero && o.RefreshWaitLimit > TimeSpan.Zero && o.RefreshPollInterval > TimeSpan.Zero,
                "Credentials: RefreshLease, RefreshWaitLimit and RefreshPollInterval must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSecretScrubber();
        services.TryAddSingleton<TokenProtector>();
        services.TryAddSingleton<ConnectionStatus>();
        services.TryAddSingleton<IAccessTokenProvider, AccessTokenProvider>();
        services.AddHealthChecks().AddCheck<BrokenConnectionsHealthCheck>("connections", tags: ["ready"]);
        return services;
    }
}
