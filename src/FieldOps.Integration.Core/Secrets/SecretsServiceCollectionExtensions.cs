using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FieldOps.Integration.Core.Secrets;

/// <summary>Registers the one <see cref="SecretScrubber"/> of the process.</summary>
public static class SecretsServiceCollectionExtensions
{
    /// <summary>Adds the scrubber, seeded with every secret in the configuration (once, however often called).</summary>
    public static IServiceCollection AddSecretScrubber(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => sp.GetService<IConfiguration>() is { } configuration ? new SecretScrubber(configuration) : new SecretScrubber());
        return services;
    }
}
