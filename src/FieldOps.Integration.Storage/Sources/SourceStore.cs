using Dapper;
using FieldOps.Integration.Core.Hydration;
using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Core.Sources;
using FieldOps.Integration.Core.Storage;
using FieldOps.Integration.Core.Text;
using FieldOps.Integration.Storage.Inbox;

namespace FieldOps.Integration.Storage.Sources;

/// <summary>
/// Watermarks, run status and hydration results over Dapper (the same SQL for every provider, with the dialect's
/// grammar). A poll run's status names the instance that ran it (<c>last_run_by</c>).
/// </summary>
public sealed class SourceStore(IStoreConnections connections, TimeProvider time, InstanceIdentity instance) : ISourceStore
{
    private const int MaxErrorLength = 2000;

    public async Task<SourceWatermark?> GetWatermarkAsync(string source, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<WatermarkRow>(new CommandDefinition(
            $"SELECT {WatermarkRow.Columns} FROM source_watermark WHERE source = @source", new { source }, cancellationToken: cancellationToken))
            .ConfigureAwait(false);
        return row?.ToWatermark();
    }

    public async Task<IReadOnlyList<SourceWatermark>> ListWatermarksAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<WatermarkRow>(new CommandDefinition(
            $"SELECT {WatermarkRow.Columns} FROM source_watermark ORDER BY source", cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => r.ToWatermark()).ToList();
    }

    public Task RecordRunAsync(string source, DateTimeOffset at, string? error, CancellationToken cancellationToken) =>
        RecordAsync(source, at, error,
            "last_run_at = @now, last_run_by = @instance, last_success_at = @now, last_error = NULL, last_error_at = NULL",
            "last_run_at = @now, last_run_by = @instance, last_error = @message, last_error_at = @now", cancellationToken);

    public Task RecordHydrationAsync(string source, DateTimeOffset at, string? error, CancellationToken cancellationToken) =>
        RecordAsync(source, at, error,
            "hydration_last_success_at = @now, hydration_last_error = NULL, hydration_last_error_at = NULL",
            "hydration_last_error = @message, hydration_last_error_at = @now", cancellationToken);

    // A poll run's or a hydration fetch's end: the success columns, or the error (bounded) and its time.
    private async Task RecordAsync(string source, DateTimeOffset at, string? error, string onSuccess, string onError, CancellationToken cancellationToken)
    {
        var now = at.ToUnixTimeMilliseconds();
        var message = TextCut.Cut(error, MaxErrorLength);
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var turn = await connections.TakeWriteTurnAsync(WritePriority.Normal, cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(WatermarkSql.Ensure(connections.Dialect), new { source, now }, transaction).ConfigureAwait(false);
        await connection.ExecuteAsync($"UPDATE source_watermark SET {(error is null ? onSuccess : onError)}, updated_at = @now WHERE source = @source",
            new { source, now, message, instance = instance.Id }, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task RewindAsync(string source, DateTimeOffset to, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var now = at.ToUnixTimeMilliseconds();
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var turn = await connections.TakeWriteTurnAsync(WritePriority.Normal, cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(WatermarkSql.Ensure(connections.Dialect), new { source, now }, transaction).ConfigureAwait(false);
        await connection.ExecuteAsync(
            "UPDATE source_watermark SET watermark = @to, sweep_open = 0, sweep_since = NULL, sweep_cursor = NULL, sweep_max = NULL, updated_at = @now " +
            "WHERE source = @source", new { source, to = to.ToUnixTimeMilliseconds(), now }, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<InboxEvent>> ListAwaitingHydrationAsync(
        IReadOnlyCollection<string> sources, long afterId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        // Source names compare case-insensitively in configuration; intake stores the configured spelling.
        var rows = await connection.QueryAsync<InboxRow>(new CommandDefinition(
            $"SELECT {InboxRow.Columns} FROM inbox WHERE state = @state AND id > @afterId ORDER BY id {connections.Dialect.Limit("@limit")}",
            new { state = InboxEventState.AwaitingHydration, afterId, limit },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        var wanted = new HashSet<string>(sources, StringComparer.OrdinalIgnoreCase);
        return rows.Where(r => wanted.Contains(r.Source)).Select(r => r.ToEvent()).ToList();
    }

    public async Task<IReadOnlyList<HydrationVerdict>> CompleteHydrationAsync(HydrationCommit commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commit);
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var turn = await connections.TakeWriteTurnAsync(WritePriority.Normal, cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var verdicts = await HydrationWriteBack.ApplyAsync(connections.Dialect, connection, transaction, commit, time.GetUtcNow()).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return verdicts;
    }

    public async Task MarkHydrationFailedAsync(IReadOnlyList<long> eventIds, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var id in eventIds)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE inbox SET state = @unmatched, state_reason = @reason WHERE id = @id AND state = @awaiting",
                new { id, reason, unmatched = InboxEventState.Unmatched, awaiting = InboxEventState.AwaitingHydration }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
    }
}
