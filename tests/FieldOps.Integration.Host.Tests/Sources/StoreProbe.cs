using Microsoft.Data.Sqlite;

namespace FieldOps.Integration.Host.Tests.Sources;

/// <summary>Reads what the service stored, straight from the SQLite file.</summary>
public static class StoreProbe
{
    public sealed record InboxRow(long Id, string DedupKey, string State, string? Reason, string? Payload);

    public sealed record OutboxRow(long InboxEventId, string Flow, string Connector, string IdempotencyKey);

    public sealed record WatermarkRow(long? Watermark, long SweepOpen, string? Cursor, string? LastError, long RecordsTotal);

    public static IReadOnlyList<InboxRow> Inbox(string databasePath) =>
        Query(databasePath, "SELECT id, dedup_key, state, state_reason, payload FROM inbox ORDER BY id",
            r => new InboxRow(r.GetInt64(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4)));

    public static IReadOnlyList<OutboxRow> Outbox(string databasePath) =>
        Query(databasePath, "SELECT inbox_event_id, flow, connector, idempotency_key FROM outbox ORDER BY seq",
            r => new OutboxRow(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3)));

    public static WatermarkRow? Watermark(string databasePath, string source) =>
        Query(databasePath, $"SELECT watermark, sweep_open, sweep_cursor, last_error, records_total FROM source_watermark WHERE source = '{source}'",
            r => new WatermarkRow(r.IsDBNull(0) ? null : r.GetInt64(0), r.GetInt64(1), r.IsDBNull(2) ? null : r.GetString(2),
                r.IsDBNull(3) ? null : r.GetString(3), r.GetInt64(4))).SingleOrDefault();

    /// <summary>Polls <paramref name="condition"/> every 50 ms until true, or fails after <paramref name="timeout"/> with <paramref name="what"/>.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out after {timeout}: {what()}");
            await Task.Delay(50);
        }
    }

    private static List<T> Query<T>(string databasePath, string sql, Func<SqliteDataReader, T> read)
    {
        if (!File.Exists(databasePath))
            return [];
        using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        try
        {
            using var reader = command.ExecuteReader();
            var rows = new List<T>();
            while (reader.Read())
                rows.Add(read(reader));
            return rows;
        }
        catch (SqliteException ex) when (ex.Message.Contains("no such table", StringComparison.Ordinal))
        {
            return [];
        }
    }
}
