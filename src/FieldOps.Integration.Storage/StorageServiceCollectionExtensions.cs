using FieldOps.Integration.Core.CrossReferences;
using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Core.Routing;
using FieldOps.Integration.Core.Storage;
using FieldOps.Integration.Storage.CrossReferences;
using FieldOps.Integration.Storage.Inbox;
using FieldOps.Integration.Storage.Migrations;
using FieldOps.Integration.Storage.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Storage;

/// <summary>Registers the store.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>Adds the configured store (<c>Store</c> section): connection factory, migrations, inbox, health.</summary>
    public static IServiceCollection AddFieldOpsStore(this IServiceCollection services)
    {
        services.AddOptions<StoreOptions>().BindConfiguration(StoreOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StoreOptions>, StoreOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<StoreOptions>>().Value);
        // The one place that asks which database this is: the connections chosen here carry their dialect.
        services.AddSingleton<IStoreConnections>(sp =>
        {
            var options = sp.GetRequiredService<StoreOptions>();
            return options.Provider switch
            {
                StoreProvider.Postgres => new PostgresConnectionFactory(options),
                StoreProvider.SqlServer => new SqlServerConnectionFactory(options),
                _ => new SqliteConnectionFactory(options),
            };
        });
        services.AddSingleton<IDbConnectionFactory>(sp => sp.GetRequiredService<IStoreConnections>());
        services.AddSingleton<MigrationRunner>();
        services.AddSingleton<IStoreHealth, StoreHealth>();
        services.AddSingleton<InboxStore>();
        services.AddSingleton<IInboxStore>(sp => sp.GetRequiredService<InboxStore>());
        services.AddSingleton<IRoutingStore, RoutingStore>();
        services.AddSingleton<IEnrichmentStore, EnrichmentStore>();
        services.AddSingleton<FieldOps.Integration.Core.Mapping.TargetSchemas.ITargetSchemaCache, Mapping.TargetSchemaCacheStore>();
        services.AddSingleton<ICrossReferenceStore, CrossReferenceStore>();
        services.AddHostedService<SqliteWalCheckpointer>(); // does nothing on PostgreSQL
        return services;
    }
}
