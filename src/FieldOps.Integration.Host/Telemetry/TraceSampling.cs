using System.Globalization;
using FieldOps.Integration.Host.Startup;
using OpenTelemetry.Trace;

namespace FieldOps.Integration.Host.Telemetry;

/// <summary>
/// The sampler from the standard variables <c>OTEL_TRACES_SAMPLER</c> (<c>always_on</c>, <c>always_off</c>,
/// <c>traceidratio</c>, <c>parentbased_always_on</c> — the default —, <c>parentbased_always_off</c>,
/// <c>parentbased_traceidratio</c>) and <c>OTEL_TRACES_SAMPLER_ARG</c> (the ratio, 0 to 1, default 1). Parent-based
/// is what keeps an event's trace whole: each later stage follows the intake's decision stored with the event.
/// </summary>
internal static class TraceSampling
{
    public const string SamplerKey = "OTEL_TRACES_SAMPLER";
    public const string ArgumentKey = "OTEL_TRACES_SAMPLER_ARG";

    private static readonly string[] Known =
        ["always_on", "always_off", "traceidratio", "parentbased_always_on", "parentbased_always_off", "parentbased_traceidratio"];

    public static Sampler FromConfiguration(IConfiguration configuration)
    {
        var name = (configuration[SamplerKey] is { Length: > 0 } configured ? configured : "parentbased_always_on").Trim().ToLowerInvariant();
        return name switch
        {
            "always_on" => new AlwaysOnSampler(),
            "always_off" => new AlwaysOffSampler(),
            "traceidratio" => new TraceIdRatioBasedSampler(Ratio(configuration)),
            "parentbased_always_on" => new ParentBasedSampler(new AlwaysOnSampler()),
            "parentbased_always_off" => new ParentBasedSampler(new AlwaysOffSampler()),
            "parentbased_traceidratio" => new ParentBasedSampler(new TraceIdRatioBasedSampler(Ratio(configuration))),
            _ => throw new ConfigurationException($"{SamplerKey}: '{configuration[SamplerKey]}' is not one of {string.Join(", ", Known)}."),
        };
    }

    private static double Ratio(IConfiguration configuration)
    {
        var text = configuration[ArgumentKey];
        if (string.IsNullOrWhiteSpace(text))
            return 1.0;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var ratio) && ratio is >= 0 and <= 1
            ? ratio
            : throw new ConfigurationException($"{ArgumentKey}: '{text}' is not a ratio between 0 and 1 (e.g. 0.25).");
    }
}
