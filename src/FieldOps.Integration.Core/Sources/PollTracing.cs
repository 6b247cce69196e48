using System.Diagnostics;
using FieldOps.Integration.Core.Telemetry;

namespace FieldOps.Integration.Core.Sources;

/// <summary>The poll run's span, and one new trace per polled record (one trace per inbox event), linked to the run.</summary>
internal static class PollTracing
{
    public static IReadOnlyList<PolledRecord> WithTraces(string source, IReadOnlyList<PolledRecord> records)
    {
        if (Activity.Current is not { Source.Name: PipelineTracing.PollingSourceName } run)
            return records;
        var traced = new PolledRecord[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            traced[i] = record with
            {
                TraceParent = PipelineTracing.NewTrace(PipelineTracing.Intake, "intake " + source, run.Context,
                [
                    new("fieldops.source", source), new("fieldops.intake", "poll"), new("fieldops.entity_type", record.EntityType),
                    new("fieldops.entity_id", record.EntityId),
                ]),
            };
        }
        return traced;
    }

    public static void Finish(Activity? activity, string source, PollRunResult result)
    {
        if (activity is not { IsAllDataRequested: true })
            return;
        activity.SetTag("fieldops.source", source);
        activity.SetTag("fieldops.poll.pages", result.Pages);
        activity.SetTag("fieldops.poll.appended", result.Appended);
        activity.SetTag("fieldops.poll.duplicates", result.Duplicates);
        if (result.Error is { } error)
            activity.SetStatus(ActivityStatusCode.Error, error);
    }
}
