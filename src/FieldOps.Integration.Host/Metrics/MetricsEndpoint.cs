namespace FieldOps.Integration.Host.Metrics;

/// <summary><c>/metrics</c>: Prometheus text of the <c>FieldOps.*</c> instruments and the scrape-time store figures.</summary>
internal static class MetricsEndpoint
{
    public static IServiceCollection AddPrometheusMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddSingleton<MetricsCollector>();
        services.AddSingleton(sp => new StoreGauges(
            sp.GetRequiredService<Core.Operations.IOperationsStore>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Core.Credentials.ConnectionStatus>(), sp.GetService<Core.Dispatch.ConnectorGates>()));
        return services;
    }

    public static WebApplication MapPrometheusMetrics(this WebApplication app)
    {
        // Created now, so instruments published before the first scrape are counted from the start.
        app.Services.GetRequiredService<MetricsCollector>();
        app.MapGet("/metrics", async (MetricsCollector collector, StoreGauges gauges, Core.Storage.InstanceIdentity instance,
            Core.Outbox.IOutboxStore outbox, TimeProvider time, HttpContext context) =>
        {
            var text = new PrometheusText();
            await InstanceGauges.WriteToAsync(text, instance, outbox, time, context.RequestAborted).ConfigureAwait(false);
            collector.WriteTo(text);
            await gauges.WriteToAsync(text, context.RequestAborted).ConfigureAwait(false);
            return Results.Text(text.ToString(), PrometheusText.ContentType);
        });
        return app;
    }
}
