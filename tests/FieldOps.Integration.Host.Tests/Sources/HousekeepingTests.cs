using FieldOps.Integration.Core.Housekeeping;
using FieldOps.Integration.Host.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace FieldOps.Integration.Host.Tests.Sources;

/// <summary>Retention through the real host's housekeeper: finished work goes, dead letters and parked events stay, the file shrinks.</summary>
public sealed class HousekeepingTests : IDisposable
{
    private readonly TempDirectory _keys = new();
    private readonly FieldOpsFactory _factory;

    public HousekeepingTests() => _factory = new FieldOpsFactory(new Dictionary<string, string?>
    {
        ["Credentials:KeysDirectory"] = _keys.Path,
        ["Housekeeping:DeliveredOutboxRetention"] = "01:00:00",
        ["Housekeeping:AttemptRetention"] = "01:00:00",
        ["Housekeeping:RoutedInboxRetention"] = "01:00:00",
        ["Housekeeping:VacuumFreeRatio"] = "0.01",
        ["Housekeeping:VacuumMinFreePages"] = "1",
    });

    [Fact]
    public async Task Run_OldFinishedWork_IsPrunedWhileDeadLettersAndParkedEventsStay()
    {
        using var client = _factory.CreateClient(); // starts the host: migrations applied
        const string Empty = "{}";
        var old = DateTimeOffset.UtcNow.AddDays(-2).ToUnixTimeMilliseconds();
        // One transaction: the host's own housekeeping job may run at any moment and must not see half the seed.
        Execute($"""
            BEGIN IMMEDIATE;
            INSERT INTO inbox (id, source, dedup_key, received_at, headers, body, state, routed_at) VALUES
              (1, 'jobber', 'delivered', {old}, '{Empty}', zeroblob(20000), 'routed', {old}),
              (2, 'jobber', 'dead', {old}, '{Empty}', zeroblob(20000), 'routed', {old}),
              (3, 'jobber', 'parked', {old}, '{Empty}', zeroblob(20000), 'parked', {old}),
              (4, 'jobber', 'stale', {old}, '{Empty}', zeroblob(20000), 'stale', {old});
            INSERT INTO outbox (id, seq, inbox_event_id, flow, operation_key, mapping_revision, connector, operation, object_type, idempotency_key,
                                partition_key, payload, state, attempts, created_at, next_attempt_at, completed_at) VALUES
              ('a', 1, 1, 'f', 'k', 'r', 'hubspot', 'upsert', 'contacts', 'i1', 'p1', '{Empty}', 'delivered', 1, {old}, {old}, {old}),
              ('b', 2, 2, 'f', 'k', 'r', 'hubspot', 'upsert', 'contacts', 'i2', 'p2', '{Empty}', 'dead', 8, {old}, {old}, NULL);
            INSERT INTO outbox_attempt (outbox_id, attempt, started_at, duration_ms, outcome) VALUES ('a', 1, {old}, 5, 'Delivered'), ('b', 1, {old}, 5, 'Permanent');
            COMMIT;
            """);

        await _factory.Services.GetRequiredService<Housekeeper>().RunAsync(CancellationToken.None);

        Assert.Equal(["2", "3"], Column("SELECT id FROM inbox ORDER BY id"));
        Assert.Equal(["b"], Column("SELECT id FROM outbox"));
        Assert.Equal(["b"], Column("SELECT outbox_id FROM outbox_attempt"));
        // Enough pages were freed to be worth a VACUUM, which leaves the file on incremental auto-vacuum.
        Assert.Equal(["2"], Column("PRAGMA auto_vacuum"));
    }

    public void Dispose()
    {
        _factory.Dispose();
        _keys.Dispose();
    }

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_factory.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private List<string> Column(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_factory.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
            values.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        return values;
    }
}
