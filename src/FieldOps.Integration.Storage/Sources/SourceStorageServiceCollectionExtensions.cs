using FieldOps.Integration.Core.Housekeeping;
using FieldOps.Integration.Core.Hydration;
using FieldOps.Integration.Core.Sources;
using FieldOps.Integration.Core.Storage;
using FieldOps.Integration.Storage.Inbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FieldOps.Integration.Storage.Sources;

/// <summary>Registers the sources' stores.</summary>
public static class SourceStorageServiceCollectionExtensions
{
    /// <summary>Adds <see cref="ISourceStore"/>, <see cref="IHydrationStore"/> (and its <see cref="ISourcePauses"/>), <see cref="IPolledInboxAppender"/> (the inbox's poll append) and <see cref="IRetentionStore"/> (call after <c>AddFieldOpsStore</c>).</summary>
    public static IServiceCollection AddSourceStores(this IServiceCollection services)
    {
        services.AddInstanceIdentity();
        services.TryAddSingleton<ISourceStore, SourceStore>();
        services.TryAddSingleton<IHydrationStore, HydrationStore>();
        services.TryAddSingleton<ISourcePauses>(sp => sp.GetRequiredService<IHydrationStore>());
        services.TryAddSingleton<IPolledInboxAppender>(sp => sp.GetRequiredService<InboxStore>());
        services.TryAddSingleton<IRetentionStore, RetentionStore>();
        return services;
    }
}
