using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using FieldOps.Integration.Core.CrossReferences;
using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Core.Mapping.Evaluation;
using FieldOps.Integration.Core.Mapping.Model;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Routing;
using FieldOps.Integration.Core.Text;

namespace FieldOps.Integration.Core.Operations;

/// <summary>
/// Re-routes one inbox event through the mappings as they are now — the fix for a mapping bug (DESIGN.md, "Two kinds
/// of key"). Adds rows only for operations not yet delivered: an operation whose (flow, operation key) has a delivered
/// row for the event is left alone; one whose current row is identical is unchanged; otherwise a new row (new mapping
/// revision, new key) replaces the last undelivered one and takes its place in the order. An operation with no row to
/// replace goes to the end of its key's order, so it is refused (Conflict) when a newer version of the event's record
/// was accepted from another event since. A dry run writes nothing.
/// </summary>
public sealed class RerouteService(
    IOperationsStore store, ICrossReferenceStore crossReferences, OperationsMetrics metrics, TimeProvider time,
    Microsoft.Extensions.Options.IOptions<CompanyOptions>? company = null,
    EventEnricher? enricher = null)
{
    private readonly MappingEngine _engine = new(time, company: company?.Value);

    /// <summary>Plans (and unless <paramref name="dryRun"/>, writes) the re-route of <paramref name="inboxEventId"/>.</summary>
    /// <param name="inboxEventId">The event.</param>
    /// <param name="mappings">The mapping set in force.</param>
    /// <param name="sourceKindOf">The kind of a configured source (<c>Sources:{name}:Kind</c>), or null when it is not configured.</param>
    /// <param name="dryRun">True to only show what would change.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public async Task<ReroutePlan> RerouteAsync(
        long inboxEventId, MappingSet? mappings, Func<string, string?> sourceKindOf, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sourceKindOf);
        var life = await store.GetEventLifeAsync(inboxEventId, cancellationToken).ConfigureAwait(false);
        if (life is null)
            return Plan(inboxEventId, null, RerouteResult.NotFound, $"there is no inbox event {inboxEventId}");
        var ev = life.Event;
        if (ev.State == InboxEventState.New)
            return Plan(inboxEventId, ev.State, RerouteResult.Conflict, "the event is not routed yet; the router will take it with the current mappings");
        if (mappings is null)
            return Plan(inboxEventId, ev.State, RerouteResult.Conflict, "no valid mappings are loaded (see fieldops validate)");
        if (sourceKindOf(ev.Source) is not { } kind)
            return Plan(inboxEventId, ev.State, RerouteResult.Conflict, $"source '{ev.Source}' is not configured (Sources:{ev.Source}:Kind)");
        JsonNode? payload;
        try
        {
            payload = JsonNode.Parse(JsonSurrogates.Mend(ev.PayloadJson));
        }
        catch (JsonException ex)
        {
            return Plan(inboxEventId, ev.State, RerouteResult.Parked, $"the payload is not JSON: {ex.Message}");
        }
        // As the router: a NUL in the payload could reach the store's text (PostgreSQL refuses it), so nothing is mapped.
        if (StorableText.InPayload(ev.PayloadJson) is { } unstorable)
            return Plan(inboxEventId, ev.State, RerouteResult.Parked, unstorable);
        var source = new SourceEvent(ev.Id.ToString(CultureInfo.InvariantCulture), ev.Source, kind, ev.ReceivedAt, ev.DedupKey, payload);
        // Reads a flow makes before it writes come from the answers stored when the event was first routed (a dry run reads nothing).
        var outcome = enricher is null
            ? _engine.Map(mappings, source)
            : await enricher.MapAsync(_engine, mappings, source, inboxEventId, cancellationToken, readMissing: !dryRun).ConfigureAwait(false);
        if (outcome.Kind != MappingOutcomeKind.Routed)
        {
            // A read that failed (even one that may pass) is reported as parked: an admin's re-route does not wait for a retry.
            var result = outcome.Kind is MappingOutcomeKind.Parked or MappingOutcomeKind.ReadFailed ? RerouteResult.Parked : RerouteResult.Unmatched;
            return Plan(inboxEventId, ev.State, result, outcome.Reason);
        }

        var changes = new List<RerouteChange>();
        var writes = new List<ReroutedRow>();
        foreach (var operation in outcome.Operations)
        {
            await XrefResolver.ResolveAsync(operation.Payload, p => FindAsync(p, cancellationToken)).ConfigureAwait(false);
            var (change, write) = Decide(ev.Id, operation, life.Operations);
            changes.Add(change);
            // A re-routed row's deliveries continue the event's own trace.
            if (write is not null)
                writes.Add(write with { Row = write.Row with { TraceParent = ev.TraceParent } });
        }
        var produced = outcome.Operations.Select(o => (o.Flow, o.OperationKey)).ToHashSet();
        foreach (var gone in life.Operations.Where(r => !produced.Contains((r.Flow, r.OperationKey))).GroupBy(r => (r.Flow, r.OperationKey)))
        {
            var last = gone.MaxBy(r => r.Seq)!;
            changes.Add(new RerouteChange(last.Flow, last.OperationKey, RerouteStatus.NoLongerProduced, null, last.Id, last.State, []));
        }
        // Some flows still fail while others map: the others' rows are written and the event stays parked for those.
        var (mapped, reason) = outcome.FailedFlowsReason is { } failed ? (RerouteResult.Parked, failed) : (RerouteResult.Routed, (string?)null);
        // A row that replaces none (or one of another partition key) goes to the end of its key's order: not when a newer
        // change of the record was accepted since (its rows would be overwritten). A replacement keeps the dead row's place,
        // ahead of the newer rows, and is safe. The commit checks the same under the router's order lock.
        var version = new RerouteVersion(ev.Source, EntityVersionReader.Read(ev.Source, outcome.CanonicalEvent));
        var keyOf = life.Operations.ToDictionary(o => o.Id, o => o.PartitionKey);
        if (dryRun && writes.Any(w => w.Supersedes is not { } old || keyOf.GetValueOrDefault(old) != w.Row.PartitionKey)
            && await store.FindNewerVersionAsync(inboxEventId, version, cancellationToken).ConfigureAwait(false) is { } newer)
            return new ReroutePlan(inboxEventId, ev.State, RerouteResult.Conflict, newer, changes, Applied: false);
        if (dryRun || (writes.Count == 0 && ev.State == InboxEventState.Routed && reason is null))
            return new ReroutePlan(inboxEventId, ev.State, mapped, reason, changes, Applied: false);
        try
        {
            await store.CommitRerouteAsync(inboxEventId, writes, cancellationToken, reason, version).ConfigureAwait(false);
        }
        catch (InvalidOperationException ex)
        {
            return new ReroutePlan(inboxEventId, ev.State, RerouteResult.Conflict, ex.Message, changes, Applied: false);
        }
        metrics.OperatorAction("reroute", writes.Count);
        return new ReroutePlan(inboxEventId, ev.State, mapped, reason, changes, Applied: true);
    }

    private static (RerouteChange Change, ReroutedRow? Write) Decide(long inboxEventId, PlannedOperation operation, IReadOnlyList<OperationRow> existing)
    {
        var newId = OutboxRowKey.Compute(inboxEventId, operation.Flow, operation.OperationKey, operation.MappingRevision);
        var rows = existing.Where(r => r.Flow == operation.Flow && r.OperationKey == operation.OperationKey).OrderBy(r => r.Seq).ToList();
        var last = rows.Count > 0 ? rows[^1] : null;
        RerouteChange Change(RerouteStatus status, IReadOnlyList<FieldChange> diff) =>
            new(operation.Flow, operation.OperationKey, status, newId, last?.Id, last?.State, diff);

        if (rows.FirstOrDefault(r => r.State == OutboxStates.Delivered) is not null)
            return (Change(RerouteStatus.AlreadyDelivered, last is null ? [] : FieldDiff.Compare(Shape(last), Shape(operation))), null);
        if (last is null)
            return (Change(RerouteStatus.New, FieldDiff.Compare(null, Shape(operation))), new ReroutedRow(operation.ToOutboxRow(inboxEventId), null));
        var diff = FieldDiff.Compare(Shape(last), Shape(operation));
        // The same revision: unchanged, whatever the payload shows now (an $xref resolved since, a time read again). By
        // revision, not only by key: a row written before keys began with their event id has its key in the old form.
        if (rows.Any(r => r.Id == newId || r.MappingRevision == operation.MappingRevision) || diff.Count == 0)
            return (Change(RerouteStatus.Unchanged, diff), null);
        if (last.IsLeased || last.State == OutboxStates.InFlight)
            return (Change(RerouteStatus.InProgress, diff), null);
        var supersedes = last.State is OutboxStates.Pending or OutboxStates.Dead or OutboxStates.Blocked ? last.Id : null;
        return (Change(RerouteStatus.New, diff), new ReroutedRow(operation.ToOutboxRow(inboxEventId), supersedes));
    }

    private async ValueTask<string?> FindAsync(XrefPlaceholder placeholder, CancellationToken cancellationToken) =>
        await crossReferences.FindAsync(placeholder.System, placeholder.Type, placeholder.SourceId, cancellationToken).ConfigureAwait(false);

    /// <summary>What an operator compares: the target, the keys and the payload.</summary>
    private static JsonObject Shape(PlannedOperation o) =>
        Shape(o.Connector, o.Connection, o.Operation, o.ObjectType, o.IdempotencyKey, o.PartitionKey, o.XrefSourceId, o.Payload.DeepClone());

    private static JsonObject Shape(OperationRow r) =>
        Shape(r.Connector, r.Connection, r.Operation, r.ObjectType, r.IdempotencyKey, r.PartitionKey, r.XrefSourceId, JsonNode.Parse(r.Payload));

    private static JsonObject Shape(
        string connector, string connection, string operation, string objectType, string idempotencyKey, string partitionKey, string? xrefSourceId,
        JsonNode? payload) => new()
    {
        ["connector"] = connector,
        ["connection"] = connection,
        ["operation"] = operation,
        ["objectType"] = objectType,
        ["idempotencyKey"] = idempotencyKey,
        ["partitionKey"] = partitionKey,
        ["xrefSourceId"] = xrefSourceId,
        ["payload"] = payload,
    };

    private static ReroutePlan Plan(long id, string? state, RerouteResult result, string? reason) => new(id, state, result, reason, [], Applied: false);
}
