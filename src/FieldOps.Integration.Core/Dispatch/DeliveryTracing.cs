using System.Diagnostics;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Telemetry;

namespace FieldOps.Integration.Core.Dispatch;

/// <summary>
/// One span per delivery attempt, a child of the routing span stored with the outbox row (so an attempt hours later,
/// or in another process, is in the event's trace); the vendor HTTP call is its child (HttpClient instrumentation).
/// </summary>
internal static class DeliveryTracing
{
    public static Activity? Start(ClaimedOperation row)
    {
        var op = row.Operation;
        var activity = PipelineTracing.Continue(PipelineTracing.Delivery, $"deliver {op.Connector} {op.Operation} {op.ObjectType}", row.TraceParent,
            ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            TagOperation(activity, op);
            activity.SetTag("fieldops.flow", op.Flow);
            activity.SetTag("fieldops.outbox_id", op.Id);
            activity.SetTag("fieldops.inbox_event_id", row.InboxEventId);
            activity.SetTag("fieldops.attempt", row.Attempts + 1);
        }
        return activity;
    }

    /// <summary>
    /// The span of one batch call, in the first row's trace and linked to every other row's, so the vendor HTTP call (its
    /// child) is reachable from each event's trace. Each row's own attempt span follows at its write-back.
    /// </summary>
    public static Activity? StartBatch(IReadOnlyList<ClaimedOperation> rows)
    {
        var op = rows[0].Operation;
        if (!PipelineTracing.Delivery.HasListeners())
            return null;
        var links = new List<ActivityLink>(rows.Count - 1);
        foreach (var row in rows.Skip(1))
        {
            if (PipelineTracing.TryParse(row.TraceParent, out var context))
                links.Add(new ActivityLink(context));
        }
        var parent = PipelineTracing.TryParse(rows[0].TraceParent, out var stored) ? stored : default; // none: a trace of its own
        var activity = PipelineTracing.Delivery.StartActivity($"deliver batch {op.Connector} {op.Operation} {op.ObjectType}", ActivityKind.Client,
            parent, links: links);
        if (activity is { IsAllDataRequested: true })
        {
            TagOperation(activity, op);
            activity.SetTag("fieldops.batch_size", rows.Count);
        }
        return activity;
    }

    private static void TagOperation(Activity activity, OutboundOperation op)
    {
        activity.SetTag("fieldops.connector", op.Connector);
        activity.SetTag("fieldops.operation", op.Operation);
        activity.SetTag("fieldops.object_type", op.ObjectType);
    }

    /// <summary>Tags the attempt's outcome on the current delivery span (a token refresh's second call overwrites the first's).</summary>
    public static void Attempted(OutboundOperation op, DeliveryOutcome outcome)
    {
        if (Activity.Current is not { IsAllDataRequested: true, Source.Name: PipelineTracing.DeliverySourceName } activity)
            return;
        activity.SetTag("fieldops.attempt", op.Attempt);
        activity.SetTag("fieldops.outcome", outcome.Kind.ToString());
        if (outcome.StatusCode is { } status)
            activity.SetTag("http.response.status_code", status);
        if (outcome.TargetId is { } targetId)
            activity.SetTag("fieldops.target_id", targetId);
        if (!outcome.IsDelivered)
            activity.SetStatus(ActivityStatusCode.Error, outcome.Kind.ToString());
    }

    /// <summary>Tags what the attempt left the row as: delivered, pending (a retry), dead, in flight.</summary>
    public static void Finished(OutboxUpdate update)
    {
        if (Activity.Current is not { IsAllDataRequested: true, Source.Name: PipelineTracing.DeliverySourceName } activity)
            return;
        activity.SetTag("fieldops.state", update.State);
        if (update.State == OutboxStates.Delivered)
            activity.SetStatus(ActivityStatusCode.Ok);
    }
}
