using System.Data.Common;
using FieldOps.Integration.Core.Hydration;
using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Storage.Dialects;

namespace FieldOps.Integration.Storage.Sources;

/// <summary>
/// Writes a fetched record into its events inside the caller's transaction: each event still awaiting hydration
/// becomes <c>new</c> (for the router) or <c>stale</c> (an older version, or the same version and topic again).
/// </summary>
internal static class HydrationWriteBack
{
    private const string Apply =
        "UPDATE inbox SET payload = @payload, state = @state, state_reason = @reason, routed_at = CASE WHEN @state = 'stale' THEN @now ELSE NULL END " +
        "WHERE id = @id AND state = @awaiting";

    public static async Task<IReadOnlyList<HydrationVerdict>> ApplyAsync(
        SqlDialect dialect, DbConnection connection, DbTransaction transaction, HydrationCommit commit, DateTimeOffset at)
    {
        var now = at.ToUnixTimeMilliseconds();
        var verdicts = new List<HydrationVerdict>(commit.Events.Count);
        await using var commands = new TransactionCommands(connection, transaction);
        var ledger = new EntityVersionLedger(dialect, commands);
        foreach (var hydrated in commit.Events)
        {
            var (verdict, reason) = await ledger.CheckAsync(
                commit.Source, commit.EntityType, commit.EntityId, commit.Version, hydrated.Topic).ConfigureAwait(false);
            var state = verdict == EntityVersionLedger.Verdict.Accept ? InboxEventState.New : InboxEventState.Stale;
            // Only an event still awaiting hydration changes: an admin may have handled it meanwhile, or (after a lost
            // lease) another process completed it first — so an event is handed to the router once.
            var changed = await commands.ExecuteAsync(Apply, CancellationToken.None,
                ("@payload", hydrated.PayloadJson), ("@state", state), ("@reason", reason), ("@now", now), ("@id", hydrated.EventId),
                ("@awaiting", InboxEventState.AwaitingHydration)).ConfigureAwait(false);
            if (changed == 0)
                continue;
            if (verdict == EntityVersionLedger.Verdict.Accept)
            {
                await ledger.RecordAsync(commit.Source, commit.EntityType, commit.EntityId, commit.Version,
                    hydrated.Topic, hydrated.EventId, now).ConfigureAwait(false);
            }
            verdicts.Add(new HydrationVerdict(hydrated.EventId, state, reason));
        }
        return verdicts;
    }
}
