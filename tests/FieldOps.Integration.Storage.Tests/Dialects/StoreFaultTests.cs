using FieldOps.Integration.Storage.Dialects;
using Npgsql;

namespace FieldOps.Integration.Storage.Tests.Dialects;

/// <summary>
/// Which faults the group commit takes for the store's (the rest of a group fails at once) rather than the transaction's
/// (each item is tried alone). No I/O: PostgreSQL's answers built as Npgsql builds them.
/// </summary>
public sealed class StoreFaultTests
{
    [Theory]
    [InlineData("57P01")] // admin_shutdown: a restart, pg_terminate_backend
    [InlineData("57P02")] // crash_shutdown
    [InlineData("57P03")] // cannot_connect_now
    [InlineData("08006")] // connection_failure
    [InlineData("08003")] // connection_does_not_exist
    public void IsStoreFault_PostgresEndsTheSession_True(string sqlState) =>
        Assert.True(PostgresDialect.Instance.IsStoreFault(new PostgresException("gone", "FATAL", "FATAL", sqlState)));

    [Theory]
    [InlineData("23514")] // check_violation
    [InlineData("23505")] // unique_violation
    [InlineData("40001")] // serialization_failure: transient to Npgsql, but the transaction's
    [InlineData("40P01")] // deadlock_detected
    [InlineData("55P03")] // lock_not_available: transient to Npgsql, but the transaction's
    [InlineData("22021")] // character_not_in_repertoire (a NUL)
    public void IsStoreFault_PostgresRefusesTheTransaction_False(string sqlState) =>
        Assert.False(PostgresDialect.Instance.IsStoreFault(new PostgresException("refused", "ERROR", "ERROR", sqlState)));

    [Fact]
    public void IsStoreFault_ConnectionIoOrTimeout_TrueOnEveryDialect()
    {
        foreach (SqlDialect dialect in new SqlDialect[] { SqliteDialect.Instance, PostgresDialect.Instance, SqlServerDialect.Instance })
        {
            Assert.True(dialect.IsStoreFault(new NpgsqlException("Exception while reading from stream", new IOException("reset"))));
            Assert.True(dialect.IsStoreFault(new TimeoutException()));
            Assert.False(dialect.IsStoreFault(new InvalidOperationException()));
        }
    }
}
