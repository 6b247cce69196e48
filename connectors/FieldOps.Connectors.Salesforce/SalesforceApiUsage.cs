using System.Diagnostics.Metrics;
using System.Globalization;

namespace FieldOps.Connectors.Salesforce;

/// <summary>
/// The org's API allocation as the last <c>Sforce-Limit-Info: api-usage=used/limit</c> header said, exposed as the
/// gauge <c>fieldops_salesforce_api_remaining</c> on the meter <c>FieldOps.Connectors.Salesforce</c>.
/// </summary>
public sealed class SalesforceApiUsage
{
    public const string MeterName = "FieldOps.Connectors.Salesforce";
    public const string RemainingGaugeName = "fieldops_salesforce_api_remaining";
    private long _used = -1;
    private long _limit = -1;

    public SalesforceApiUsage(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge(RemainingGaugeName, ObserveRemaining, unit: "{request}",
            description: "Remaining daily Salesforce API requests, from the last Sforce-Limit-Info header.");
    }

    /// <summary>Requests used in the rolling 24 hours, or null before the first response.</summary>
    public long? Used => Interlocked.Read(ref _used) is var v and >= 0 ? v : null;

    /// <summary>The org's rolling 24-hour allocation, or null before the first response.</summary>
    public long? Limit => Interlocked.Read(ref _limit) is var v and >= 0 ? v : null;

    /// <summary>Requests left, or null before the first response.</summary>
    public long? Remaining => Used is { } used && Limit is { } limit ? Math.Max(0, limit - used) : null;

    /// <summary>The header as last seen, for messages.</summary>
    public string Describe() => Used is { } used && Limit is { } limit ? $"api-usage={used}/{limit}" : "api-usage unknown";

    /// <summary>Reads <c>Sforce-Limit-Info</c> from a response, if it is there.</summary>
    public void Observe(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Headers.TryGetValues("Sforce-Limit-Info", out var values))
            Observe(string.Join(',', values));
    }

    /// <summary>Reads a header value such as <c>api-usage=18/15000</c> (other items in the header are ignored).</summary>
    public void Observe(string headerValue)
    {
        ArgumentNullException.ThrowIfNull(headerValue);
        foreach (var item in headerValue.Split([',', ';'], StringSplitOptions.TrimEntries))
        {
            if (!item.StartsWith("api-usage=", StringComparison.OrdinalIgnoreCase))
                continue;
            var parts = item["api-usage=".Length..].Split('/');
            if (parts.Length == 2
                && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var used)
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var limit))
            {
                Interlocked.Exchange(ref _used, used);
                Interlocked.Exchange(ref _limit, limit);
            }
        }
    }

    private IEnumerable<Measurement<long>> ObserveRemaining() =>
        Remaining is { } remaining ? [new Measurement<long>(remaining)] : [];
}
