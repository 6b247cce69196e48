using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.Dispatch;
using FieldOps.Integration.Core.Operations;
using Polly.CircuitBreaker;

namespace FieldOps.Integration.Host.Metrics;

/// <summary>
/// The figures read at scrape time: backlog and age of the oldest waiting row per connector, dead and blocked rows,
/// breaker state per connector, token state per connection. Three cheap indexed queries; a store that does not answer
/// gives <c>fieldops_store_up 0</c> instead of an error.
/// </summary>
internal sealed class StoreGauges(IOperationsStore store, TimeProvider time, ConnectionStatus connections, ConnectorGates? gates = null)
{
    private static readonly string[] BreakerStates = ["closed", "open", "half_open", "isolated"];

    public async Task WriteToAsync(PrometheusText text, CancellationToken cancellationToken)
    {
        WriteBreakers(text);
        IReadOnlyList<BacklogEntry> backlog;
        IReadOnlyList<StateCount> held;
        IReadOnlyList<TokenState> tokens;
        try
        {
            backlog = await store.GetBacklogAsync(cancellationToken).ConfigureAwait(false);
            held = await store.CountHeldAsync(cancellationToken).ConfigureAwait(false);
            tokens = await store.ListTokenStatesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (System.Data.Common.DbException)
        {
            text.Family("fieldops_store_up", "gauge", "1 when the store answered the scrape's queries.");
            text.Sample("fieldops_store_up", [], 0);
            return;
        }
        text.Family("fieldops_store_up", "gauge", "1 when the store answered the scrape's queries.");
        text.Sample("fieldops_store_up", [], 1);
        var now = time.GetUtcNow();
        text.Family("fieldops_outbox_backlog", "gauge", "Outbox rows waiting (pending or in flight) per connector.");
        foreach (var b in backlog)
            text.Sample("fieldops_outbox_backlog", [new("connector", b.Connector)], b.Pending);
        text.Family("fieldops_outbox_oldest_pending_age_seconds", "gauge", "Age of the oldest waiting outbox row per connector.");
        foreach (var b in backlog.Where(b => b.OldestCreatedAt is not null))
            text.Sample("fieldops_outbox_oldest_pending_age_seconds", [new("connector", b.Connector)], Math.Max(0, (now - b.OldestCreatedAt!.Value).TotalSeconds));
        text.Family("fieldops_operations_held", "gauge", "Operations dead-lettered or blocked behind a dead letter, now, per connector (state dead or blocked).");
        foreach (var h in held)
            text.Sample("fieldops_operations_held", [new("connector", h.Connector), new("state", h.State)], h.Count);
        WriteTokens(text, tokens, now);
    }

    private void WriteBreakers(PrometheusText text)
    {
        text.Family("fieldops_breaker_state", "gauge", "1 for the circuit breaker's current state per connector, 0 for the others.");
        foreach (var (connector, breaker) in gates?.BreakerStates ?? [])
        {
            var current = breaker switch
            {
                CircuitState.Open => "open",
                CircuitState.HalfOpen => "half_open",
                CircuitState.Isolated => "isolated",
                _ => "closed",
            };
            foreach (var state in BreakerStates)
                text.Sample("fieldops_breaker_state", [new("connector", connector), new("state", state)], state == current ? 1 : 0);
        }
    }

    private void WriteTokens(PrometheusText text, IReadOnlyList<TokenState> tokens, DateTimeOffset now)
    {
        var states = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var t in tokens)
            states[t.Connection] = t.BrokenReason is not null ? "broken" : t.ExpiresAt is { } e && e <= now ? "expired" : t.ExpiresAt is null ? "none" : "valid";
        foreach (var broken in connections.Broken.Keys)
            states[broken] = "broken";
        text.Family("fieldops_token_state", "gauge", "1 for each connection's token state: valid, expired (refreshed on next use), none, broken.");
        foreach (var (connection, state) in states)
            text.Sample("fieldops_token_state", [new("connection", connection), new("state", state)], 1);
        text.Family("fieldops_token_expires_in_seconds", "gauge", "Seconds until each connection's access token expires (negative: expired).");
        foreach (var t in tokens.Where(t => t.ExpiresAt is not null))
            text.Sample("fieldops_token_expires_in_seconds", [new("connection", t.Connection)], (t.ExpiresAt!.Value - now).TotalSeconds);
    }
}
