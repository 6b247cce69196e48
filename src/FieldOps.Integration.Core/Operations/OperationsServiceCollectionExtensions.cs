using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FieldOps.Integration.Core.Operations;

/// <summary>Registers the operator's services.</summary>
public static class OperationsServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="DeadLetterService"/>, <see cref="RerouteService"/> and <see cref="OperationsMetrics"/>, and meters
    /// the inbox, routing and outbox stores already registered. Call after the stores are added; an
    /// <see cref="IOperationsStore"/> must be registered too (the store's).
    /// </summary>
    public static IServiceCollection AddFieldOpsOperations(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<OperationsMetrics>();
        services.TryAddSingleton<DeadLetterService>();
        services.TryAddSingleton<Routing.EventEnricher>();
        services.TryAddSingleton<RerouteService>();
        Decorate<IInboxStore>(services, (inner, sp) => new MeteredInboxStore(inner, sp.GetRequiredService<OperationsMetrics>()));
        Decorate<IRoutingStore>(services, (inner, sp) => new MeteredRoutingStore(inner, sp.GetRequiredService<OperationsMetrics>()));
        Decorate<IOutboxStore>(services, (inner, sp) => new MeteredOutboxStore(inner, sp.GetRequiredService<OperationsMetrics>()));
        return services;
    }

    /// <summary>Wraps the last registration of <typeparamref name="T"/> (if any) in <paramref name="wrap"/>, keeping its lifetime.</summary>
    private static void Decorate<T>(IServiceCollection services, Func<T, IServiceProvider, T> wrap)
        where T : class
    {
        var index = -1;
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(T) && !services[i].IsKeyedService)
            {
                index = i;
                break;
            }
        }
        if (index < 0)
            return;
        var original = services[index];
        services[index] = ServiceDescriptor.Describe(typeof(T), sp => wrap(Create<T>(original, sp), sp), original.Lifetime);
    }

    private static T Create<T>(ServiceDescriptor descriptor, IServiceProvider services)
        where T : class =>
        descriptor.ImplementationInstance as T
        ?? descriptor.ImplementationFactory?.Invoke(services) as T
        ?? (T)ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!);
}
