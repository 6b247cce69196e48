using Npgsql;

namespace FieldOps.Integration.Testing.MultiProcess;

/// <summary>
/// A fresh database of its own on the shared PostgreSQL server named by <c>FIELDOPS_TEST_POSTGRES</c> (a login that may
/// create databases), dropped with <c>WITH (FORCE)</c> on dispose, so a killed process's connections do not keep it.
/// </summary>
public sealed class ScratchPostgresDatabase : IAsyncDisposable
{
    /// <summary>The environment variable holding the admin connection string.</summary>
    public const string EnvironmentVariable = "FIELDOPS_TEST_POSTGRES";

    private readonly string _admin;

    private ScratchPostgresDatabase(string admin, string name)
    {
        _admin = admin;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    /// <summary>The admin connection string, or null when the variable is not set.</summary>
    public static string? AdminConnectionString => Environment.GetEnvironmentVariable(EnvironmentVariable);

    /// <summary>The database's name (<c>fieldops_mp_…</c>).</summary>
    public string Name { get; }

    /// <summary>A connection string to this database (the admin's login).</summary>
    public string ConnectionString { get; }

    /// <summary>Creates the database; throws naming the variable when it is not set.</summary>
    public static async Task<ScratchPostgresDatabase> CreateAsync()
    {
        var admin = AdminConnectionString
            ?? throw new InvalidOperationException($"PostgreSQL is not configured: set {EnvironmentVariable} to a connection string.");
        var database = new ScratchPostgresDatabase(admin, "fieldops_mp_" + Guid.NewGuid().ToString("N")[..12]);
        await database.AdminAsync($"CREATE DATABASE {database.Name}").ConfigureAwait(false);
        return database;
    }

    /// <summary>An open connection to this database.</summary>
    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        return connection;
    }

    private async Task AdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await AdminAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)").ConfigureAwait(false);
    }
}
