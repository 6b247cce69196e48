using System.Diagnostics.Metrics;
using System.Globalization;

namespace FieldOps.Connectors.HubSpot;

/// <summary>
/// The latest <c>X-HubSpot-RateLimit-*</c> values, for the dispatcher's limiter and for <c>/metrics</c> (meter
/// <c>FieldOps.Connectors.HubSpot</c>: <c>fieldops_hubspot_ratelimit_remaining</c>, <c>fieldops_hubspot_ratelimit_max</c>,
/// <c>fieldops_hubspot_daily_remaining</c>). Values are null until a response carried them.
/// </summary>
public sealed class HubSpotRateLimits
{
    public const string MeterName = "FieldOps.Connectors.HubSpot";
    private long _max = -1;
    private long _remaining = -1;
    private long _intervalMs = -1;
    private long _daily = -1;
    private long _dailyRemaining = -1;

    public HubSpotRateLimits(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("fieldops_hubspot_ratelimit_remaining", () => Measure(Remaining), "{request}", "Requests left in HubSpot's rolling window.");
        meter.CreateObservableGauge("fieldops_hubspot_ratelimit_max", () => Measure(Max), "{request}", "Requests allowed per HubSpot rolling window.");
        meter.CreateObservableGauge("fieldops_hubspot_daily_remaining", () => Measure(DailyRemaining), "{request}", "Requests left today (account time zone).");
    }

    /// <summary>Requests allowed per <see cref="Interval"/> (<c>X-HubSpot-RateLimit-Max</c>).</summary>
    public long? Max => Get(ref _max);

    /// <summary>Requests left in the current window (<c>X-HubSpot-RateLimit-Remaining</c>).</summary>
    public long? Remaining => Get(ref _remaining);

    /// <summary>The rolling window (<c>X-HubSpot-RateLimit-Interval-Milliseconds</c>).</summary>
    public TimeSpan? Interval => Get(ref _intervalMs) is { } ms ? TimeSpan.FromMilliseconds(ms) : null;

    /// <summary>The daily allocation (<c>X-HubSpot-RateLimit-Daily</c>).</summary>
    public long? Daily => Get(ref _daily);

    /// <summary>Requests left today (<c>X-HubSpot-RateLimit-Daily-Remaining</c>).</summary>
    public long? DailyRemaining => Get(ref _dailyRemaining);

    /// <summary>Reads the headers of a response.</summary>
    public void Observe(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        Set(response, "X-HubSpot-RateLimit-Max", ref _max);
        Set(response, "X-HubSpot-RateLimit-Remaining", ref _remaining);
        Set(response, "X-HubSpot-RateLimit-Interval-Milliseconds", ref _intervalMs);
        Set(response, "X-HubSpot-RateLimit-Daily", ref _daily);
        Set(response, "X-HubSpot-RateLimit-Daily-Remaining", ref _dailyRemaining);
    }

    /// <summary>The values for messages.</summary>
    public string Describe() => $"window {Remaining?.ToString(CultureInfo.InvariantCulture) ?? "?"}/{Max?.ToString(CultureInfo.InvariantCulture) ?? "?"} per {Interval?.ToString() ?? "?"}, "
        + $"daily {DailyRemaining?.ToString(CultureInfo.InvariantCulture) ?? "?"}/{Daily?.ToString(CultureInfo.InvariantCulture) ?? "?"}";

    private static void Set(HttpResponseMessage response, string header, ref long field)
    {
        if (response.Headers.TryGetValues(header, out var values)
            && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            Interlocked.Exchange(ref field, value);
    }

    private static long? Get(ref long field) => Interlocked.Read(ref field) is var v and >= 0 ? v : null;

    private static IEnumerable<Measurement<long>> Measure(long? value) => value is { } v ? [new Measurement<long>(v)] : [];
}
