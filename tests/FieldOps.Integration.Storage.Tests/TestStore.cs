using System.Text.Json;
using Dapper;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Storage;
using FieldOps.Integration.Storage;
using FieldOps.Integration.Storage.Migrations;
using FieldOps.Integration.Storage.Outbox;
using Microsoft.Extensions.Logging.Abstractions;

namespace FieldOps.Integration.Testing.Stores;

/// <summary>A migrated SQLite store in a temp folder, deleted on dispose; rows are written the router's way.</summary>
public sealed class TestStore : IDisposable
{
    public TestStore(string? directory = null)
    {
        Directory = directory ?? Path.Combine(Path.GetTempPath(), "fieldops-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        ConnectionString = $"Data Source={Path.Combine(Directory, "fieldops.db")}";
        Options = new StoreOptions { ConnectionString = ConnectionString, SqliteSynchronous = SqliteSynchronous.Normal };
        Connections = new SqliteConnectionFactory(Options);
        new MigrationRunner(Connections, TimeProvider.System, NullLogger<MigrationRunner>.Instance).MigrateAsync(CancellationToken.None)
            .GetAwaiter().GetResult();
    }

    public string Directory { get; }

    public string ConnectionString { get; }

    public StoreOptions Options { get; }

    public SqliteConnectionFactory Connections { get; }

    /// <summary>Writes one inbox event and the given operations as its routed rows; returns the rows.</summary>
    public Task<IReadOnlyList<NewOutboxRow>> AddRowsAsync(params TestRow[] rows) => TestRows.AddAsync(Connections, rows);

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await Connections.OpenAsync(CancellationToken.None);
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    public void Dispose()
    {
        // This store's pool only: clearing every pool would close the connections of tests running beside this one.
        Connections.ClearPool();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Writes outbox rows the router's way (an inbox event, then <see cref="RoutingStore"/>), in any provider.</summary>
public static class TestRows
{
    private static long _events;

    public static async Task<IReadOnlyList<NewOutboxRow>> AddAsync(IStoreConnections connections, params TestRow[] rows)
    {
        long eventId;
        await using (var connection = await connections.OpenAsync(CancellationToken.None))
        {
            eventId = await connection.ExecuteScalarAsync<long>(connections.Dialect.InsertReturning("inbox",
                    ["source", "dedup_key", "received_at", "headers", "body"], ["'test'", "@key", "0", "'{}'", "@body"], "id"),
                new { key = $"{Guid.NewGuid():N}-{Interlocked.Increment(ref _events)}", body = "{}"u8.ToArray() });
        }
        var newRows = rows.Select((r, i) => new NewOutboxRow
        {
            Id = OutboxRowKey.Compute(eventId, "test-flow", r.OperationKey ?? $"op{i}", "rev1"),
            InboxEventId = eventId,
            Flow = "test-flow",
            OperationKey = r.OperationKey ?? $"op{i}",
            MappingRevision = "rev1",
            Connector = r.Connector,
            Connection = r.Connection,
            Operation = r.Operation,
            ObjectType = r.ObjectType,
            IdempotencyKey = r.IdempotencyKey,
            PartitionKey = r.PartitionKey,
            Payload = JsonSerializer.Serialize(r.Payload),
            XrefSourceId = r.XrefSourceId,
            SourceFile = "mappings/flows/test.yaml",
        }).ToList();
        await new RoutingStore(connections, TimeProvider.System).CommitRoutedAsync(eventId, newRows, CancellationToken.None);
        return newRows;
    }

    public static async Task<T> ScalarAsync<T>(IDbConnectionFactory connections, string sql, object? parameters = null)
    {
        await using var connection = await connections.OpenAsync(CancellationToken.None);
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }
}

/// <summary>An operation for <see cref="TestStore.AddRowsAsync"/>.</summary>
public sealed record TestRow(string PartitionKey, object Payload, string Connector = "http", string Operation = "upsert",
    string ObjectType = "Thing", string? IdempotencyKey = null, string? OperationKey = null, string Connection = "default", string? XrefSourceId = null)
{
    public string IdempotencyKey { get; init; } = IdempotencyKey ?? Guid.NewGuid().ToString("N");
}
