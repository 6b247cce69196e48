using System.Diagnostics.Metrics;
using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.Dispatch;
using FieldOps.Integration.Core.Storage;
using FieldOps.Integration.Storage;
using Polly.CircuitBreaker;

namespace FieldOps.Integration.Host.Metrics;

/// <summary>
/// The gauges read at collection time, as observable instruments on the meter <c>FieldOps.Integration.Store</c>:
/// store figures from the <see cref="StoreSnapshotCache"/> (bounded cost), breaker states and this instance from memory.
/// The names are the ones <c>/metrics</c> always had.
/// </summary>
internal sealed class StoreGauges
{
    public const string MeterName = "FieldOps.Integration.Store";

    private static readonly string[] BreakerStates = ["closed", "open", "half_open", "isolated"];

    public StoreGauges(IMeterFactory meters, StoreSnapshotCache cache, TimeProvider time, ConnectionStatus connections, InstanceIdentity instance, ConnectorGates? gates = null,
        WriteTurns? writeTurns = null)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        var instanceTag = new KeyValuePair<string, object?>("instance", instance.Id);
        meter.CreateObservableGauge("fieldops_store_up", () => cache.Current.StoreUp ? 1 : 0, description: "1 when the store answered the gauges' queries.");
        meter.CreateObservableGauge("fieldops_outbox_backlog", () => cache.Current.Backlog.Select(b => new Measurement<long>(b.Pending, Tag("connector", b.Connector))),
            description: "Outbox rows waiting (pending or in flight) per connector.");
        meter.CreateObservableGauge("fieldops_outbox_oldest_pending_age_seconds", () =>
        {
            var now = time.GetUtcNow();
            return cache.Current.Backlog.Where(b => b.OldestCreatedAt is not null)
                .Select(b => new Measurement<double>(Math.Max(0, (now - b.OldestCreatedAt!.Value).TotalSeconds), Tag("connector", b.Connector)));
        }, description: "Age of the oldest waiting outbox row per connector.");
        meter.CreateObservableGauge("fieldops_operations_held", () => cache.Current.Held.Select(h => new Measurement<long>(h.Count, Tag("connector", h.Connector), Tag("state", h.State))),
            description: "Operations dead-lettered or blocked behind a dead letter, now, per connector (state dead or blocked).");
        meter.CreateObservableGauge("fieldops_breaker_state", () => Breakers(gates),
            description: "1 for the circuit breaker's current state per connector, 0 for the others.");
        meter.CreateObservableGauge("fieldops_token_state", () => TokenStates(cache.Current, connections, time.GetUtcNow()),
            description: "1 for each connection's token state: valid, expired (refreshed on next use), none, broken.");
        meter.CreateObservableGauge("fieldops_token_expires_in_seconds", () =>
        {
            var now = time.GetUtcNow();
            return cache.Current.Tokens.Where(t => t.ExpiresAt is not null)
                .Select(t => new Measurement<double>((t.ExpiresAt!.Value - now).TotalSeconds, Tag("connection", t.Connection)));
        }, description: "Seconds until each connection's access token expires (negative: expired).");
        meter.CreateObservableGauge("fieldops_instance_info", () => new Measurement<int>(1, instanceTag),
            description: "1, labelled with this process's instance id (its outbox lease owner and Quartz node).");
        meter.CreateObservableGauge("fieldops_instance_leases", () => cache.Current.Leases is { } leases ? [new Measurement<long>(leases, instanceTag)] : Array.Empty<Measurement<long>>(),
            description: "Outbox rows this instance holds a live lease on now.");
        if (writeTurns is not null)
        {
            // SQLite only: the rate of the wait over the rate of the turns is the mean wait for the one write lock.
            meter.CreateObservableCounter("fieldops_store_write_turns_total", () => WritePriorities.Select(p =>
                    new Measurement<long>(writeTurns.Totals(p.Priority).Turns, Tag("priority", p.Label))),
                description: "Write transactions of this process on the SQLite store, by priority (intake: the webhooks' commits, which go first).");
            meter.CreateObservableCounter("fieldops_store_write_wait_seconds_total", () => WritePriorities.Select(p =>
                    new Measurement<double>(writeTurns.Totals(p.Priority).Waited.TotalSeconds, Tag("priority", p.Label))),
                unit: "s", description: "Seconds those write transactions waited for their turn at the store's write lock, in all.");
            // Its rate is the share of the time the one write lock was held (1: every moment): how near the store is to its limit.
            meter.CreateObservableCounter("fieldops_store_write_held_seconds_total", () => WritePriorities.Select(p =>
                    new Measurement<double>(writeTurns.Totals(p.Priority).Held.TotalSeconds, Tag("priority", p.Label))),
                unit: "s", description: "Seconds those write transactions held the store's write lock, from their turn to their end, in all.");
        }
    }

    private static readonly (WritePriority Priority, string Label)[] WritePriorities = [(WritePriority.Intake, "intake"), (WritePriority.Normal, "other")];

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);

    private static IEnumerable<Measurement<int>> Breakers(ConnectorGates? gates)
    {
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
                yield return new Measurement<int>(state == current ? 1 : 0, Tag("connector", connector), Tag("state", state));
        }
    }

    private static IEnumerable<Measurement<int>> TokenStates(StoreSnapshot snapshot, ConnectionStatus connections, DateTimeOffset now)
    {
        var states = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var t in snapshot.Tokens)
            states[t.Connection] = t.BrokenReason is not null ? "broken" : t.ExpiresAt is { } e && e <= now ? "expired" : t.ExpiresAt is null ? "none" : "valid";
        foreach (var broken in connections.Broken.Keys)
            states[broken] = "broken";
        return states.Select(s => new Measurement<int>(1, Tag("connection", s.Key), Tag("state", s.Value)));
    }
}
