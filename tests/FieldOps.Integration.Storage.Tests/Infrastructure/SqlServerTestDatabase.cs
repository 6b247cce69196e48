using FieldOps.Integration.Core.Storage;
using Microsoft.Data.SqlClient;

namespace FieldOps.Integration.Storage.Tests.Infrastructure;

/// <summary>
/// A database of its own on the SQL Server named by <c>FIELDOPS_TEST_SQLSERVER</c> (a connection string with the right
/// to create databases), dropped afterwards.
/// </summary>
public sealed class SqlServerTestDatabase : TestDatabase
{
    public const string EnvironmentVariable = "FIELDOPS_TEST_SQLSERVER";
    private readonly string _name = "fieldops_t_" + Guid.NewGuid().ToString("N")[..12];

    public static string? AdminConnectionString => Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value ? value : null;

    public override StoreOptions Options => new()
    {
        Provider = StoreProvider.SqlServer,
        ConnectionString = new SqlConnectionStringBuilder(AdminConnectionString) { InitialCatalog = _name }.ToString(),
    };

    public override IStoreConnections OpenConnections() => new SqlServerConnectionFactory(Options);

    protected override async Task CreateAsync()
    {
        await using var connection = new SqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new SqlCommand($"CREATE DATABASE [{_name}]", connection);
        await command.ExecuteNonQueryAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqlConnection.ClearAllPools();
        await using var connection = new SqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new SqlCommand(
            $"IF DB_ID(N'{_name}') IS NOT NULL BEGIN ALTER DATABASE [{_name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{_name}]; END",
            connection);
        await command.ExecuteNonQueryAsync();
    }
}
