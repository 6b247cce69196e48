namespace FieldOps.Integration.Host.Metrics;

/// <summary>
/// <c>/metrics</c>: the OpenTelemetry Prometheus exporter's text of this host's <c>FieldOps.*</c> meters (the
/// hand-written exposition is gone). The store-backed gauges are refreshed (at most once per
/// <c>Metrics:StoreRefreshInterval</c>) before the exporter collects.
/// </summary>
internal static class MetricsEndpoint
{
    public const string Path = "/metrics";

    /// <summary>The default refresh interval of the store-backed gauges.</summary>
    public static readonly TimeSpan DefaultStoreRefreshInterval = TimeSpan.FromSeconds(5);

    public static IServiceCollection AddPrometheusMetrics(this IServiceCollection services)
    {
        services.AddSingleton(sp => new StoreSnapshotCache(
            sp.GetRequiredService<Core.Operations.IOperationsStore>(), sp.GetRequiredService<Core.Outbox.IOutboxStore>(),
            sp.GetRequiredService<Core.Storage.InstanceIdentity>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IConfiguration>().GetValue("Metrics:StoreRefreshInterval", DefaultStoreRefreshInterval)));
        services.AddSingleton(sp => new StoreGauges(
            sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), sp.GetRequiredService<StoreSnapshotCache>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<Core.Credentials.ConnectionStatus>(),
            sp.GetRequiredService<Core.Storage.InstanceIdentity>(), sp.GetService<Core.Dispatch.ConnectorGates>(),
            (sp.GetService<Storage.IStoreConnections>() as Storage.SqliteConnectionFactory)?.WriteTurns));
        return services;
    }

    public static WebApplication MapPrometheusMetrics(this WebApplication app)
    {
        // Created now, so the gauges exist from the first collection.
        app.Services.GetRequiredService<StoreGauges>();
        var cache = app.Services.GetRequiredService<StoreSnapshotCache>();
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.Equals(Path, StringComparison.Ordinal))
                await cache.RefreshAsync(context.RequestAborted).ConfigureAwait(false);
            await next(context).ConfigureAwait(false);
        });
        app.MapPrometheusScrapingEndpoint(Path);
        return app;
    }
}
