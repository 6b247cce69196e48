using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Secrets;
using FieldOps.Integration.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Core.Dispatch;

/// <summary>Registers the outbox dispatcher.</summary>
public static class DispatcherServiceCollectionExtensions
{
    /// <summary>
    /// Adds the outbox dispatcher (a hosted service), its options (<c>Dispatcher</c> section) and the <c>circuits</c>
    /// readiness check. Needs an <see cref="IOutboxStore"/>, an <see cref="ITokenStore"/>, the credentials
    /// (<see cref="CredentialsServiceCollectionExtensions.AddFieldOpsCredentials"/>) and the connectors.
    /// </summary>
    public static IServiceCollection AddOutboxDispatcher(this IServiceCollection services)
    {
        services.AddOptions<DispatcherOptions>().BindConfiguration(DispatcherOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DispatcherOptions>, DispatcherOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ConnectionStatus>();
        services.AddInstanceIdentity();
        services.AddSecretScrubber();
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<DispatcherOptions>>().Value;
            return new BackoffPolicy(o.BaseDelay, o.MaxDelay);
        });
        services.TryAddSingleton(sp => new OutcomePolicy(sp.GetRequiredService<IOptions<DispatcherOptions>>().Value, sp.GetRequiredService<BackoffPolicy>()));
        services.TryAddSingleton<ConnectorGates>();
        services.TryAddSingleton<OperationDelivery>();
        services.TryAddSingleton<Outbox.OutboxSignal>();
        services.TryAddSingleton<OutboxDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        services.AddHealthChecks().AddCheck<CircuitHealthCheck>("circuits", tags: ["ready"])
            .AddCheck<UnconfiguredConnectorHealthCheck>("unconfigured-connectors", tags: ["ready"]);
        return services;
    }
}
