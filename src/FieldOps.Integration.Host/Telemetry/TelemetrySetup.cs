using FieldOps.Integration.Core.Telemetry;
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
        var otel = builder.Services.AddOpenTelemetry().ConfigureResource(resource =>
        {
            // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES are read by the SDK; this is the name without them.
            if (string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]))
                resource.AddService(ServiceName, serviceVersion: typeof(TelemetrySetup).Assembly.GetName().Version?.ToString());
        });
        if (tracing)
        {
            var sampler = TraceSampling.FromConfiguration(configuration);
            otel.WithTracing(traces =>
            {
                traces.AddSource([.. PipelineTracing.SourceNames]).SetSampler(sampler).AddHttpClientInstrumentation();
                if (OtlpConfigured(configuration, "TRACES"))
                    traces.AddOtlpExporter();
            });
        }
        return builder;
    }

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
