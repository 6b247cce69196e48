using System.Diagnostics;
using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Core.Telemetry;

namespace FieldOps.Integration.Core.Intake;

/// <summary>The intake span: the root of an inbox event's trace, linked to the sender's W3C <c>traceparent</c> when it sent one.</summary>
internal static class IntakeTracing
{
    public static Activity? Start(WebhookDelivery delivery)
    {
        if (!PipelineTracing.Intake.HasListeners())
            return null;
        var sender = PipelineTracing.TryParse(delivery.Header("traceparent"), out var incoming) ? incoming : default;
        var activity = PipelineTracing.StartTrace(PipelineTracing.Intake, "intake " + delivery.Source, ActivityKind.Server, sender);
        activity?.SetTag("fieldops.source", delivery.Source);
        return activity;
    }

    public static void Appended(Activity? activity, InboxAppendResult result)
    {
        if (activity is not { IsAllDataRequested: true })
            return;
        activity.SetTag("fieldops.inbox_event_id", result.EventId);
        activity.SetTag("fieldops.dedup", result.IsDuplicate ? "duplicate" : "new");
    }

    public static void Finish(Activity? activity, IntakeResult result)
    {
        if (activity is not { IsAllDataRequested: true })
            return;
        activity.SetTag("http.response.status_code", result.StatusCode);
        if (result.StatusCode >= 500)
            activity.SetStatus(ActivityStatusCode.Error, $"answered {result.StatusCode}");
        if (result.StatusCode >= 400 && activity.GetTagItem("fieldops.dedup") is null)
            activity.SetTag("fieldops.dedup", "rejected");
    }
}
