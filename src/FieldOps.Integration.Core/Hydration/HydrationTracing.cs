using System.Diagnostics;
using FieldOps.Integration.Core.Telemetry;

namespace FieldOps.Integration.Core.Hydration;

/// <summary>
/// The hydration span: one fetch serves every event waiting on one entity, so it continues the oldest event's trace
/// and links the others'.
/// </summary>
internal static class HydrationTracing
{
    public static Activity? Start(HydrationRequest request, IReadOnlyList<ClaimedEvent> claimed)
    {
        if (!PipelineTracing.Hydration.HasListeners() || claimed.Count == 0)
            return null;
        var events = claimed.Select(e => e.Event).OrderBy(e => e.Id).ToList();
        var parent = PipelineTracing.TryParse(events[0].TraceParent, out var first) ? first : default;
        var links = new List<ActivityLink>();
        foreach (var other in events.Skip(1))
        {
            if (PipelineTracing.TryParse(other.TraceParent, out var context))
                links.Add(new ActivityLink(context));
        }
        var name = $"hydrate {request.Source} {request.EntityType}";
        var activity = parent == default
            ? PipelineTracing.StartTrace(PipelineTracing.Hydration, name, ActivityKind.Client)
            : PipelineTracing.Hydration.StartActivity(name, ActivityKind.Client, parent, links: links);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("fieldops.source", request.Source);
            activity.SetTag("fieldops.entity_type", request.EntityType);
            activity.SetTag("fieldops.entity_id", request.EntityId);
            activity.SetTag("fieldops.hydration.events", events.Count);
            activity.SetTag("fieldops.hydration.attempt", claimed.Max(e => e.Attempts) + 1);
        }
        return activity;
    }
}
