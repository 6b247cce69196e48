using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Storage.Credentials;
using FieldOps.Integration.Storage.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FieldOps.Integration.Storage;

/// <summary>Registers the dispatcher's stores.</summary>
public static class DispatchStorageServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IOutboxStore"/>, and <see cref="ITokenStore"/> with the <see cref="ITokenCipher"/> that encrypts what
    /// it holds (<see cref="TokenEncryption"/>), over the configured store (call after <c>AddFieldOpsStore</c>).
    /// </summary>
    public static IServiceCollection AddDispatchStores(this IServiceCollection services)
    {
        services.TryAddSingleton<IOutboxStore>(sp => new OutboxStore(sp.GetRequiredService<IStoreConnections>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ITokenStore, TokenStore>();
        services.AddTokenEncryption();
        return services;
    }
}
