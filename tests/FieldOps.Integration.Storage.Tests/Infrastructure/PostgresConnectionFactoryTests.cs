using Dapper;
using FieldOps.Integration.Storage.Dialects;
using Npgsql;

namespace FieldOps.Integration.Storage.Tests.Infrastructure;

/// <summary>
/// Issue 15: the factory's pool does not reset a connection it takes back (<c>DISCARD ALL</c> was 12 statements a job),
/// unless the connection string asks for it; the service's own session state ends with each transaction anyway.
/// </summary>
public sealed class PostgresConnectionFactoryTests
{
    [Fact]
    public void WithoutResetOnClose_ConnectionStringSilentOnIt_TurnsItOnAndKeepsEverythingElse()
    {
        var result = new NpgsqlConnectionStringBuilder(
            PostgresConnectionFactory.WithoutResetOnClose("Host=db;Port=5433;Username=fieldops;Password=s3cret;Database=fieldops;Maximum Pool Size=7"));

        Assert.True(result.NoResetOnClose);
        Assert.Equal(("db", 5433, "fieldops", "s3cret", "fieldops", 7),
            (result.Host, result.Port, result.Username, result.Password, result.Database, result.MaxPoolSize));
    }

    [Theory]
    [InlineData("No Reset On Close=false", false)]
    [InlineData("NoResetOnClose=False", false)]
    [InlineData("no reset on close=true", true)]
    public void WithoutResetOnClose_ConnectionStringSaysSo_ItsChoiceStands(string setting, bool expected)
    {
        var result = PostgresConnectionFactory.WithoutResetOnClose("Host=db;Username=fieldops;Password=p;" + setting);

        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(result).NoResetOnClose);
    }

    [PostgresFact]
    public async Task Open_ConnectionTakenBackByThePool_NotResetButTheClaimSettingsEndedWithTheirTransaction()
    {
        await using var database = await new PostgresTestDatabase().InitializeAsync();
        await using var factory = (PostgresConnectionFactory)database.OpenConnections();
        int pid;
        (string?, string?) serverSettings;
        await using (var connection = await factory.OpenAsync(CancellationToken.None))
        {
            pid = await connection.ExecuteScalarAsync<int>("SELECT pg_backend_pid()");
            serverSettings = (await connection.ExecuteScalarAsync<string>("SHOW random_page_cost"), await connection.ExecuteScalarAsync<string>("SHOW enable_sort"));
            await connection.ExecuteAsync("SELECT set_config('fieldops.probe', 'kept', false)");
            await using var transaction = await connection.BeginTransactionAsync();
            foreach (var setting in PostgresDialect.Instance.OutboxClaimSettings)
                await connection.ExecuteAsync(setting, transaction: transaction);
            await transaction.CommitAsync();
        }

        await using (var connection = await factory.OpenAsync(CancellationToken.None))
        {
            Assert.Equal(pid, await connection.ExecuteScalarAsync<int>("SELECT pg_backend_pid()"));
            // A session setting stays: nothing reset the connection (DISCARD ALL would have cleared it).
            Assert.Equal("kept", await connection.ExecuteScalarAsync<string>("SELECT current_setting('fieldops.probe', true)"));
            // What the service sets, it sets for one transaction: the server's own values are back.
            Assert.Equal(serverSettings, (await connection.ExecuteScalarAsync<string>("SHOW random_page_cost"),
                await connection.ExecuteScalarAsync<string>("SHOW enable_sort")));
        }
    }
}
