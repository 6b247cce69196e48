using System.Diagnostics;

namespace FieldOps.Integration.Core.Telemetry;

/// <summary>
/// One <see cref="ActivitySource"/> per pipeline stage, and the rule that ties one inbox event's spans into one trace:
/// the intake (or a polled record) starts a new trace, its W3C <c>traceparent</c> is stored with the event and with
/// every outbox row routed from it, and each later stage — routing, hydration, every delivery attempt, hours later or
/// in another process — starts its span as a child of the stored context. Without a listener (tracing off) every
/// method returns null and nothing is stored.
/// </summary>
public static class PipelineTracing
{
    public const string IntakeSourceName = "FieldOps.Intake";
    public const string RoutingSourceName = "FieldOps.Routing";
    public const string DeliverySourceName = "FieldOps.Delivery";
    public const string HydrationSourceName = "FieldOps.Hydration";
    public const string PollingSourceName = "FieldOps.Polling";

    /// <summary>The log property that names the trace on lines written outside the event's span.</summary>
    public const string TraceIdProperty = "TraceId";

    public static readonly ActivitySource Intake = new(IntakeSourceName);
    public static readonly ActivitySource Routing = new(RoutingSourceName);
    public static readonly ActivitySource Delivery = new(DeliverySourceName);
    public static readonly ActivitySource Hydration = new(HydrationSourceName);
    public static readonly ActivitySource Polling = new(PollingSourceName);

    /// <summary>Every stage's source name, for a tracer provider to listen to.</summary>
    public static IReadOnlyList<string> SourceNames { get; } =
        [IntakeSourceName, RoutingSourceName, DeliverySourceName, HydrationSourceName, PollingSourceName];

    /// <summary>
    /// Starts a span that begins a new trace whatever <see cref="Activity.Current"/> is (an inbox event's own trace),
    /// linked to <paramref name="link"/> when given (the sender's <c>traceparent</c>, or the poll run that found it).
    /// </summary>
    public static Activity? StartTrace(ActivitySource source, string name, ActivityKind kind, ActivityContext link = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!source.HasListeners())
            return null;
        var outer = Activity.Current;
        Activity.Current = null;
        try
        {
            return link == default
                ? source.StartActivity(name, kind, parentContext: default)
                : source.StartActivity(name, kind, parentContext: default, links: [new ActivityLink(link)]);
        }
        finally
        {
            // Started activities make themselves current; none started leaves the caller's context as it was.
            if (Activity.Current is null)
                Activity.Current = outer;
        }
    }

    /// <summary>
    /// Begins and ends at once a span that starts a new trace (a polled record's intake), linked to
    /// <paramref name="link"/>, and returns its <c>traceparent</c> to store; the caller's current span stays current.
    /// </summary>
    public static string? NewTrace(ActivitySource source, string name, ActivityContext link, IEnumerable<KeyValuePair<string, object?>> tags)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!source.HasListeners())
            return null;
        var outer = Activity.Current;
        string? traceParent;
        using (var activity = StartTrace(source, name, ActivityKind.Consumer, link))
        {
            if (activity is { IsAllDataRequested: true })
            {
                foreach (var (key, value) in tags)
                    activity.SetTag(key, value);
            }
            traceParent = TraceParentOf(activity);
        }
        Activity.Current = outer;
        return traceParent;
    }

    /// <summary>
    /// Starts a span as a child of the stored <paramref name="traceParent"/> (the event's trace continues); when there is
    /// none (a row stored before tracing, or with tracing off) the span starts a new trace of its own.
    /// </summary>
    public static Activity? Continue(ActivitySource source, string name, string? traceParent, ActivityKind kind = ActivityKind.Internal)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!source.HasListeners())
            return null;
        return TryParse(traceParent, out var parent)
            ? source.StartActivity(name, kind, parent)
            : StartTrace(source, name, kind);
    }

    /// <summary>The W3C <c>traceparent</c> of <paramref name="activity"/> to store, or null.</summary>
    public static string? TraceParentOf(Activity? activity) =>
        activity is { IdFormat: ActivityIdFormat.W3C } ? activity.Id : null;

    /// <summary>The trace id (32 hex digits) of a stored <c>traceparent</c>, or null.</summary>
    public static string? TraceIdOf(string? traceParent) =>
        TryParse(traceParent, out var context) ? context.TraceId.ToHexString() : null;

    /// <summary>Reads a W3C <c>traceparent</c> (an incoming header, or a stored one) as a remote context.</summary>
    public static bool TryParse(string? traceParent, out ActivityContext context)
    {
        context = default;
        return !string.IsNullOrEmpty(traceParent) && ActivityContext.TryParse(traceParent, null, isRemote: true, out context);
    }
}
