using System.Diagnostics.Metrics;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Outbox;

namespace FieldOps.Integration.Core.Operations;

/// <summary>
/// The hub's own instruments on the meter <c>FieldOps.Integration</c>: events received, routed, parked and unmatched;
/// operations delivered, retried and dead-lettered by connector and outcome class; attempt latency. The stores'
/// metering decorators feed them, so no part of the pipeline needs to know about metrics.
/// </summary>
public sealed class OperationsMetrics
{
    public const string MeterName = "FieldOps.Integration";

    private readonly Counter<long> _received;
    private readonly Counter<long> _routed;
    private readonly Counter<long> _parked;
    private readonly Counter<long> _unmatched;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _dead;
    private readonly Counter<long> _actions;
    private readonly Histogram<double> _latency;
    private readonly Histogram<double> _ack;

    public OperationsMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _received = meter.CreateCounter<long>("fieldops_events_received", description: "Events committed to the inbox (duplicates not counted).");
        _routed = meter.CreateCounter<long>("fieldops_events_routed", description: "Inbox events routed into outbox rows.");
        _parked = meter.CreateCounter<long>("fieldops_events_parked", description: "Inbox events parked because a mapping failed.");
        _unmatched = meter.CreateCounter<long>("fieldops_events_unmatched", description: "Inbox events no flow selected.");
        _delivered = meter.CreateCounter<long>("fieldops_operations_delivered", description: "Operations the target applied.");
        _retried = meter.CreateCounter<long>("fieldops_operations_retried", description: "Attempts that failed and were scheduled again.");
        _dead = meter.CreateCounter<long>("fieldops_operations_dead_lettered", description: "Operations dead-lettered.");
        _actions = meter.CreateCounter<long>("fieldops_operator_actions", description: "Replays and discards by operators.");
        _latency = meter.CreateHistogram<double>("fieldops_delivery_latency_seconds", unit: "s", description: "Duration of each call to a target.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _ack = meter.CreateHistogram<double>("fieldops_webhook_ack_seconds", unit: "s",
            description: "Time from a webhook's arrival to its answer (the inbox commit), per source and status.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
    }

    /// <summary>One webhook answered: how long the sender waited for <paramref name="status"/>.</summary>
    public void WebhookAnswered(string source, int status, TimeSpan elapsed) =>
        _ack.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("source", source), new KeyValuePair<string, object?>("status", status));

    public void EventReceived(string source) => _received.Add(1, new KeyValuePair<string, object?>("source", source));

    public void EventsRouted(int count) => _routed.Add(count);

    public void EventParked() => _parked.Add(1);

    public void EventUnmatched() => _unmatched.Add(1);

    public void OperatorAction(string action, int count)
    {
        if (count > 0)
            _actions.Add(count, new KeyValuePair<string, object?>("action", action));
    }

    /// <summary>Counts one write-back of the dispatcher for a row of <paramref name="connector"/>.</summary>
    public void Written(string connector, OutboxUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var connectorTag = new KeyValuePair<string, object?>("connector", connector);
        foreach (var attempt in update.AttemptRecords)
            _latency.Record(attempt.Duration.TotalSeconds, connectorTag, new("outcome", attempt.Outcome.ToString()));
        var outcome = new KeyValuePair<string, object?>("outcome", OutcomeClass(update));
        switch (update.State)
        {
            case OutboxStates.Delivered:
                _delivered.Add(1, connectorTag);
                break;
            case OutboxStates.Dead:
                _dead.Add(1, connectorTag, outcome);
                break;
            case OutboxStates.Pending when update.AttemptRecords.Count > 0 && update.LastOutcome is not OutcomeKind.Delivered:
                _retried.Add(1, connectorTag, outcome);
                break;
        }
    }

    private static string OutcomeClass(OutboxUpdate update) =>
        update.DeadReason is { } reason && reason.IndexOf(':', StringComparison.Ordinal) is > 0 and var colon
            ? reason[..colon]
            : update.LastOutcome?.ToString() ?? "None";
}
