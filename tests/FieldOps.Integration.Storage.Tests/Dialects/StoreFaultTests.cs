using System.Text;
using FieldOps.Integration.Storage.Dialects;
using Microsoft.Data.Sqlite;
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

    [Theory]
    [InlineData("40001")] // serialization_failure: the same commit may pass later
    [InlineData("40P01")] // deadlock_detected
    [InlineData("53100")] // disk_full
    [InlineData("53300")] // too_many_connections
    [InlineData("57014")] // query_canceled: a statement timeout
    [InlineData("57P01")] // admin_shutdown
    [InlineData("58030")] // io_error
    [InlineData("25006")] // read_only_sql_transaction: a standby after a failover
    [InlineData("55P03")] // lock_not_available
    [InlineData("XX001")] // data_corrupted
    public void IsStoreSideFault_PostgresFaultAnyWriteWouldMeet_True(string sqlState) =>
        Assert.True(PostgresDialect.Instance.IsStoreSideFault(new PostgresException("busy", "ERROR", "ERROR", sqlState)));

    [Theory]
    [InlineData("22021")] // character_not_in_repertoire
    [InlineData("22P05")] // untranslatable_character
    [InlineData("22001")] // string_data_right_truncation: value too long
    [InlineData("22023")] // invalid_parameter_value
    [InlineData("54000")] // program_limit_exceeded: an index row too big
    [InlineData("23505")] // unique_violation
    [InlineData("23514")] // check_violation
    public void IsStoreSideFault_PostgresRefusesTheData_False(string sqlState) =>
        Assert.False(PostgresDialect.Instance.IsStoreSideFault(new PostgresException("refused", "ERROR", "ERROR", sqlState)));

    [Theory]
    [InlineData(5, true)] // SQLITE_BUSY
    [InlineData(6, true)] // SQLITE_LOCKED
    [InlineData(8, true)] // SQLITE_READONLY
    [InlineData(10, true)] // SQLITE_IOERR
    [InlineData(13, true)] // SQLITE_FULL
    [InlineData(14, true)] // SQLITE_CANTOPEN
    [InlineData(18, false)] // SQLITE_TOOBIG
    [InlineData(19, false)] // SQLITE_CONSTRAINT (a trigger's RAISE too)
    [InlineData(20, false)] // SQLITE_MISMATCH
    public void IsStoreSideFault_Sqlite_ByResultCode(int code, bool expected) =>
        Assert.Equal(expected, SqliteDialect.Instance.IsStoreSideFault(new SqliteException("sqlite", code)));

    [Fact]
    public void IsStoreSideFault_WhatTheDriverRefusesOrABug_FalseOnEveryDialect_AndCancellationOrIo_True()
    {
        foreach (SqlDialect dialect in new SqlDialect[] { SqliteDialect.Instance, PostgresDialect.Instance, SqlServerDialect.Instance })
        {
            Assert.False(dialect.IsStoreSideFault(new EncoderFallbackException("half a surrogate pair")));
            Assert.False(dialect.IsStoreSideFault(new ArgumentException("a parameter")));
            Assert.False(dialect.IsStoreSideFault(new InvalidOperationException("a bug")));
            Assert.True(dialect.IsStoreSideFault(new OperationCanceledException()));
            Assert.True(dialect.IsStoreSideFault(new IOException("disk")));
            Assert.True(dialect.IsStoreSideFault(new InvalidOperationException("wrapped", new TimeoutException())));
        }
    }
}
