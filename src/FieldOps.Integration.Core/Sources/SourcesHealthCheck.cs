using System.Globalization;
using FieldOps.Integration.Core.Hydration;
using FieldOps.Integration.Core.Intake;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Core.Sources;

/// <summary>
/// Readiness per source: Degraded, naming the source and its last error, while fetching its records back
/// (hydration, in this process) or its last poll (any process, from the store) fails, and while a source that needs
/// hydration runs <c>WebhookOnly</c> (its events are stored but not routed). Healthy otherwise.
/// </summary>
/// <remarks>The store is optional: a composition without one reports hydration and configuration only.</remarks>
internal sealed class SourcesHealthCheck(
    IOptionsMonitor<SourcesOptions> sources,
    IOptionsMonitor<SourceAdaptersOptions> adapters,
    RecordHydrators hydrators,
    HydrationService hydration,
    ISourceStore? store = null) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var configured = sources.CurrentValue;
        if (configured.Count == 0)
            return HealthCheckResult.Healthy("no sources configured");
        var watermarks = store is null
            ? new Dictionary<string, SourceWatermark>(StringComparer.OrdinalIgnoreCase)
            : (await store.ListWatermarksAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(w => w.Source, StringComparer.OrdinalIgnoreCase);
        var problems = new List<string>();
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (name, source) in configured.OrderBy(s => s.Key, StringComparer.OrdinalIgnoreCase))
        {
            var found = new List<string>();
            var fetches = hydrators.Find(source.Kind) is not null;
            if (fetches && source.WebhookOnly)
                found.Add($"webhook-only (Sources:{name}:WebhookOnly): its events are stored but wait unrouted until its hydration settings are set");
            else if (fetches && hydration.FailingSources.TryGetValue(name, out var failure))
                found.Add($"hydration failing since {Time(failure.At)}: {failure.Error}");
            if (adapters.CurrentValue.GetValueOrDefault(name)?.Poll is { IsEnabled: true }
                && watermarks.GetValueOrDefault(name) is { LastError: { } pollError, LastErrorAt: { } at })
                found.Add($"last poll failed at {Time(at)}: {pollError}");
            if (found.Count == 0)
                continue;
            data[name] = found;
            problems.Add($"{name}: {string.Join("; ", found)}");
        }
        return problems.Count == 0
            ? HealthCheckResult.Healthy($"{configured.Count} sources: fetching and polling without errors")
            : HealthCheckResult.Degraded(string.Join("; ", problems), data: data);
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
