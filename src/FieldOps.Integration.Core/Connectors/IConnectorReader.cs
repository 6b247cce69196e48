using System.Text.Json.Nodes;

namespace FieldOps.Integration.Core.Connectors;

/// <summary>
/// A connector's reads, for flows that read before they write (<c>enrich</c>). Registered as a keyed service under
/// the connector's name; the router stores each answer with the event, so one event never reads twice.
/// </summary>
public interface IConnectorReader
{
    /// <summary>Reads <paramref name="read"/> (e.g. <c>query</c>) with <paramref name="parameters"/> on <paramref name="connection"/>.</summary>
    Task<ConnectorReadResult> ReadAsync(string connection, string read, JsonObject parameters, CancellationToken cancellationToken);
}

/// <summary>A read's answer (any JSON), or why it failed (the vendor's own text).</summary>
public sealed record ConnectorReadResult(JsonNode? Answer, string? Failure)
{
    /// <summary>
    /// True when the failure may pass (an outage, a timeout, throttling, an expired token): the router reads again
    /// later, with backoff. False: the read is wrong or refused for good, and the event is parked at once.
    /// </summary>
    public bool Transient { get; init; }

    /// <summary>How long the vendor asked us to wait before reading again, if it said.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static ConnectorReadResult Of(JsonNode? answer) => new(answer, null);

    /// <summary>A read refused for good (a malformed query, a missing parameter, an unknown read).</summary>
    public static ConnectorReadResult Failed(string failure) => new(null, failure);

    /// <summary>A read that may succeed later.</summary>
    public static ConnectorReadResult FailedTransiently(string failure, TimeSpan? retryAfter = null) =>
        new(null, failure) { Transient = true, RetryAfter = retryAfter };

    /// <summary>
    /// The failed read a vendor's classified answer stands for: a permanent or business refusal is for good; any other
    /// class (transient, throttled, auth expired, conflict, a broken connection) may pass and is read again later.
    /// </summary>
    public static ConnectorReadResult From(DeliveryOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var text = $"{outcome.Kind}: {outcome.Message}";
        return outcome.Kind is OutcomeKind.Permanent or OutcomeKind.Business ? Failed(text) : FailedTransiently(text, outcome.RetryAfter);
    }
}
