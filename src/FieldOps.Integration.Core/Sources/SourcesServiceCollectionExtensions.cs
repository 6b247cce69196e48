using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.Housekeeping;
using FieldOps.Integration.Core.Hydration;
using FieldOps.Integration.Core.Secrets;
using FieldOps.Integration.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Core.Sources;

/// <summary>Registers the source machinery every adapter plugs into.</summary>
public static class SourcesServiceCollectionExtensions
{
    /// <summary>
    /// Adds the adapter options (<c>Sources</c>), hydration (<c>Hydration</c>), the poll runner and the housekeeper
    /// (<c>Housekeeping</c>). The store must provide <see cref="ISourceStore"/>, <see cref="IPolledInboxAppender"/> and
    /// <see cref="IRetentionStore"/>; adapters add themselves with their own <c>Add…Source()</c>.
    /// </summary>
    public static IServiceCollection AddSourcesCore(this IServiceCollection services)
    {
        services.AddOptions<SourceAdaptersOptions>().BindConfiguration(SourceAdaptersOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SourceAdaptersOptions>, SourceAdaptersOptionsValidator>());
        services.AddOptions<HydrationOptions>().BindConfiguration(HydrationOptions.SectionName)
            .Validate(o => o.Debounce >= TimeSpan.Zero && o.MaxDelay >= o.Debounce, "Hydration: Debounce must be >= 0 and MaxDelay >= Debounce.")
            .Validate(o => o.ScanInterval > TimeSpan.Zero && o.Concurrency > 0 && o.MaxAttempts > 0 && o.RetryDelay > TimeSpan.Zero && o.LeaseDuration > TimeSpan.Zero,
                "Hydration: ScanInterval, Concurrency, MaxAttempts, RetryDelay and LeaseDuration must be positive.")
            .ValidateOnStart();
        services.AddOptions<HousekeepingOptions>().BindConfiguration(HousekeepingOptions.SectionName)
            .Validate(o => o.Interval > TimeSpan.Zero && o.DeleteBatchSize > 0, "Housekeeping: Interval and DeleteBatchSize must be positive.")
            .Validate(o => o.VacuumFreeRatio is > 0 and <= 1, "Housekeeping:VacuumFreeRatio must be in (0, 1].")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSecretScrubber();
        services.TryAddSingleton<PollRunner>();
        services.TryAddSingleton<Housekeeper>();
        services.TryAddSingleton<RecordHydrators>();
        services.AddInstanceIdentity();
        services.TryAddSingleton<HydrationService>();
        services.AddHostedService(sp => sp.GetRequiredService<HydrationService>());
        services.AddHealthChecks().AddCheck<SourcesHealthCheck>("sources", tags: ["ready"]);
        // Any connection key not registered explicitly is offered to the adapters' factories; none claiming it
        // resolves to null, which the credentials store reads as "no token endpoint".
        services.AddKeyedSingleton<ITokenEndpoint>(KeyedService.AnyKey, (sp, key) =>
            key is string connection
                ? sp.GetServices<ISourceTokenEndpointFactory>().Select(f => f.Create(sp, connection)).FirstOrDefault(e => e is not null)!
                : null!);
        return services;
    }
}
