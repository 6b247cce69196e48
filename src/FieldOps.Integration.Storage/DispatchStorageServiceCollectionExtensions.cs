using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Storage;
using FieldOps.Integration.Storage.Credentials;
using FieldOps.Integration.Storage.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FieldOps.Integration.Storage;

/// <summary>Registers the dispatcher's stores.</summary>
public static class DispatchStorageServiceCollectionExtensions
{
    /// <summary>Adds <see cref="IOutboxStore"/> and <see cref="ITokenStore"/> over the configured store (call after <c>AddFieldOpsStore</c>).</summary>
    public static IServiceCollection AddDispatchStores(this IServiceCollection services)
    {
        services.TryAddSingleton<IOutboxStore>(sp =>
        {
            var connections = sp.GetRequiredService<IDbConnectionFactory>();
            return new OutboxStore(connections, sp.GetRequiredService<TimeProvider>(),
                OutboxStore.RelaxedConnections(connections, sp.GetRequiredService<StoreOptions>()));
        });
        services.TryAddSingleton<ITokenStore, TokenStore>();
        return services;
    }
}
