using Dapper;
using FieldOps.Integration.Storage;
using FieldOps.Integration.Storage.Migrations;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace FieldOps.Integration.Host.Tests.Admin;

/// <summary>Writes dead letters straight into a SQLite store (as the dispatcher leaves them) for the admin API and CLI tests.</summary>
public static class DeadLetterSeed
{
    /// <summary>Creates and migrates the store at <paramref name="databasePath"/>.</summary>
    public static async Task MigrateAsync(string databasePath)
    {
        var factory = new SqliteConnectionFactory(new StoreOptions { ConnectionString = $"Data Source={databasePath}" });
        await new MigrationRunner(factory, TimeProvider.System, NullLogger<MigrationRunner>.Instance).MigrateAsync(CancellationToken.None);
        SqliteConnection.ClearAllPools();
    }

    /// <summary>
    /// One inbox event with rows on partition <c>p1</c> of connector <c>offline</c> (no worker claims it): the first
    /// dead-lettered with <paramref name="errorClass"/>, the rest blocked behind it. Returns the event id and row ids.
    /// </summary>
    public static async Task<(long EventId, string[] Ids)> AddAsync(string databasePath, string errorClass = "Permanent", int rows = 2, string flow = "customer-things")
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        await connection.OpenAsync();
        var eventId = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO inbox (source, dedup_key, received_at, headers, body, state) VALUES ('shop', @key, 0, '{}', X'7B7D', 'routed') RETURNING id",
            new { key = Guid.NewGuid().ToString("N") });
        var ids = new string[rows];
        for (var i = 0; i < rows; i++)
        {
            ids[i] = FieldOps.Integration.Core.Outbox.OutboxRowKey.Compute(eventId, flow, $"op{i}", "rev1");
            await connection.ExecuteAsync(
                "INSERT INTO outbox (id, seq, inbox_event_id, flow, operation_key, mapping_revision, connector, operation, object_type, " +
                "idempotency_key, partition_key, payload, source_file, state, attempts, created_at, next_attempt_at, completed_at, dead_reason, last_outcome) " +
                "VALUES (@id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM outbox), @eventId, @flow, @key, 'rev1', 'offline', 'upsert', 'Thing', @key, @partition, " +
                "'{\"fields\":{\"name\":\"x\"}}', 'mappings/flows/things.yaml', @state, @attempts, 1000, 1000, @at, @reason, @outcome)",
                new
                {
                    id = ids[i], eventId, flow, key = $"op{i}", partition = $"p-{eventId}", state = i == 0 ? "dead" : "blocked", attempts = i == 0 ? 1 : 0,
                    at = i == 0 ? 2000 : (long?)null, reason = i == 0 ? $"{errorClass}: name is not allowed [flow '{flow}']" : null,
                    outcome = i == 0 ? errorClass : null,
                });
        }
        return (eventId, ids);
    }

    public static string State(string databasePath, string id)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        return connection.ExecuteScalar<string>("SELECT state FROM outbox WHERE id = @id", new { id })!;
    }
}
