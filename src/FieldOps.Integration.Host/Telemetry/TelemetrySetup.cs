using System.Diagnostics.Metrics;
using FieldOps.Integration.Core.Telemetry;
using Microsoft.Extensions.Diagnostics.Metrics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace FieldOps.Integration.Host.Telemetry;

/// <summary>
/// OpenTelemetry for the host: the pipeline's spans (<see cref="PipelineTracing"/>) with the vendor HTTP calls as
/// children, exported over OTLP only when the standard <c>OTEL_EXPORTER_OTLP_*ENDPOINT</c> variables name a collector
/// (off by default). <c>Tracing:Enabled=false</c> creates no span at all (no trace ids stored or logged). The
/// exporter batches on its own thread: nothing on the webhook path waits for it.
/// </summary>
internal static class TelemetrySetup
{
    public const string ServiceName = "fieldops";

    /// <summary>True when an OTLP endpoint for <paramref name="signal"/> (<c>TRACES</c>, <c>METRICS</c>) or for all signals is configured.</summary>
    public static bool OtlpConfigured(IConfiguration configuration, string signal) =>
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])
        || !string.IsNullOrWhiteSpace(configuration[$"OTEL_EXPORTER_OTLP_{signal}_ENDPOINT"]);

    public static WebApplicationBuilder AddFieldOpsTelemetry(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var tracing = TracingEnabled(configuration);
        // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES are read by the SDK; this is the name without them. Given per
        // signal: the builder-wide ConfigureResource would configure a tracer provider even with tracing off.
        void Resource(ResourceBuilder resource)
        {
            if (string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]))
                resource.AddService(ServiceName, serviceVersion: typeof(TelemetrySetup).Assembly.GetName().Version?.ToString());
        }
        var otel = builder.Services.AddOpenTelemetry();
        if (tracing)
        {
            var sampler = TraceSampling.FromConfiguration(configuration);
            otel.WithTracing(traces =>
            {
                traces.ConfigureResource(Resource).AddSource([.. PipelineTracing.SourceNames]).SetSampler(sampler).AddHttpClientInstrumentation();
                if (OtlpConfigured(configuration, "TRACES"))
                    traces.AddOtlpExporter();
            });
        }
        // Only this host's meters (its IMeterFactory) named FieldOps.*: another host in the same process (tests) or a
        // library's global meter is not exported.
        builder.Services.AddMetrics(metrics => metrics.EnableMetrics("FieldOps", instrumentName: null, listenerName: null, scopes: MeterScope.Local));
        otel.WithMetrics(metrics =>
        {
            metrics.ConfigureResource(Resource);
            metrics.AddView(instrument => instrument.Meter.Name.StartsWith("FieldOps", StringComparison.Ordinal) && instrument is Histogram<double> { Advice: null }
                ? new ExplicitBucketHistogramConfiguration { Boundaries = DefaultSecondsBuckets }
                : null);
            // No response cache: a scrape right after a change sees it (the store-backed gauges have their own bound).
            metrics.AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0);
            if (OtlpConfigured(configuration, "METRICS"))
                metrics.AddOtlpExporter();
        });
        return builder;
    }

    /// <summary>Buckets (seconds) of a FieldOps histogram that gives none itself: Prometheus' usual latency buckets.</summary>
    private static readonly double[] DefaultSecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static bool TracingEnabled(ConfigurationManager configuration)
    {
        var text = configuration["Tracing:Enabled"];
        if (string.IsNullOrWhiteSpace(text))
            return true;
        return bool.TryParse(text, out var enabled)
            ? enabled
            : throw new Startup.ConfigurationException($"Tracing:Enabled: '{text}' is not true or false.");
    }
}
