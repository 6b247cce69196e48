using FieldOps.Integration.Core.Storage;
using Npgsql;

namespace FieldOps.Integration.Storage.Tests.Infrastructure;

/// <summary>
/// A database of its own on the PostgreSQL server named by <c>FIELDOPS_TEST_POSTGRES</c> (a connection string with
/// the right to create databases; <c>.ci/run</c> starts one), dropped afterwards.
/// </summary>
public sealed class PostgresTestDatabase : TestDatabase
{
    public const string EnvironmentVariable = "FIELDOPS_TEST_POSTGRES";
    private readonly string _name = "fieldops_t_" + Guid.NewGuid().ToString("N")[..12];

    public static string? AdminConnectionString => Environment.GetEnvironmentVariable(EnvironmentVariable);

    public override StoreOptions Options => new()
    {
        Provider = StoreProvider.Postgres,
        ConnectionString = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = _name }.ToString(),
    };

    public override IStoreConnections OpenConnections() => new PostgresConnectionFactory(Options);

    protected override async Task CreateAsync()
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {_name}", connection);
        await command.ExecuteNonQueryAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
