using System.Diagnostics;
using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Core.Mapping.Evaluation;
using FieldOps.Integration.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace FieldOps.Integration.Core.Routing;

/// <summary>The routing span of one inbox event, a child of its intake span; the outbox rows it plans continue its trace.</summary>
internal static class RoutingTracing
{
    public static Activity? Start(InboxEvent inboxEvent)
    {
        var activity = PipelineTracing.Continue(PipelineTracing.Routing, "route " + inboxEvent.Source, inboxEvent.TraceParent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("fieldops.source", inboxEvent.Source);
            activity.SetTag("fieldops.inbox_event_id", inboxEvent.Id);
        }
        return activity;
    }

    /// <summary>Tags the flows matched and operations planned; returns the span's <c>traceparent</c> for the rows.</summary>
    public static string? Planned(Activity? activity, MappingOutcome outcome)
    {
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("fieldops.route.result", outcome.FailedFlows.Count > 0 ? "parked" : "routed");
            activity.SetTag("fieldops.route.flows", string.Join(",", outcome.Operations.Select(o => o.Flow).Distinct(StringComparer.Ordinal)));
            activity.SetTag("fieldops.route.operations", outcome.Operations.Count);
            if (outcome.FailedFlows.Count > 0)
                activity.SetTag("fieldops.route.failed_flows", string.Join(",", outcome.FailedFlows));
        }
        return PipelineTracing.TraceParentOf(activity);
    }

    /// <summary>A log scope naming the event's trace for the lines written after its span ended (the group commit's).</summary>
    public static IDisposable? LogScope(ILogger logger, string? traceParent) =>
        PipelineTracing.TraceIdOf(traceParent) is { } traceId ? logger.BeginScope(new Dictionary<string, object> { [PipelineTracing.TraceIdProperty] = traceId }) : null;
}
