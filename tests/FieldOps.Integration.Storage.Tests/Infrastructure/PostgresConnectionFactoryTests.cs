using Dapper;
using FieldOps.Integration.Core.Storage;
using Npgsql;

namespace FieldOps.Integration.Storage.Tests.Infrastructure;

/// <summary>
/// Claims and write-backs (repeatable writes) commit without waiting for the WAL flush on PostgreSQL, as they do with
/// SQLite's <c>synchronous=NORMAL</c>; everything else — the intake, the in-flight marks — keeps the server's setting.
/// </summary>
public sealed class PostgresConnectionFactoryTests
{
    [PostgresFact]
    public async Task ForRepeatableWrites_CommitsWithoutWaitingForTheFlush_TheOthersKeepTheServersSetting()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(PostgresTestDatabase.AdminConnectionString) { Options = "-c statement_timeout=45000" }.ToString();
        await using var factory = new PostgresConnectionFactory(new StoreOptions { Provider = StoreProvider.Postgres, ConnectionString = connectionString });

        await using (var durable = await factory.OpenAsync(CancellationToken.None))
        {
            Assert.Equal("on", await durable.ExecuteScalarAsync<string>("SHOW synchronous_commit"));
            Assert.Equal("45s", await durable.ExecuteScalarAsync<string>("SHOW statement_timeout"));
        }
        var repeatable = factory.ForRepeatableWrites();
        Assert.Same(repeatable, factory.ForRepeatableWrites());
        await using (var relaxed = await repeatable.OpenAsync(CancellationToken.None))
        {
            Assert.Equal("off", await relaxed.ExecuteScalarAsync<string>("SHOW synchronous_commit"));
            // The admin's own options are kept.
            Assert.Equal("45s", await relaxed.ExecuteScalarAsync<string>("SHOW statement_timeout"));
        }
    }
}
