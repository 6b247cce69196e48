using System.Data.Common;
using Dapper;
using FieldOps.Integration.Core.Storage;

namespace FieldOps.Integration.Storage.Dialects;

/// <summary>
/// PostgreSQL: claims lock their candidates with <c>FOR UPDATE SKIP LOCKED</c>, <c>seq</c> comes from a sequence,
/// list parameters are arrays (Npgsql), and migrations serialise on an advisory lock.
/// </summary>
public sealed class PostgresDialect : SqlDialect
{
    private const long MigrationLockKey = 0x46_4F_50_53; // "FOPS"
    private const long OutboxSeqLockKey = 0x46_4F_51_53; // "FOQS"

    public static PostgresDialect Instance { get; } = new();

    public override StoreProvider Provider => StoreProvider.Postgres;

    public override string NextOutboxSeq => "nextval('outbox_seq')";

    public override string OutboxSeqOrderLock => $"SELECT pg_advisory_xact_lock({OutboxSeqLockKey})";

    /// <summary>Dapper hands Npgsql a list as one array parameter.</summary>
    public override string InList(string expression, string parameter) => $"{expression} = ANY({parameter})";

    protected override string SkipLocked => " FOR UPDATE SKIP LOCKED";

    public override async Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@Key)", new { Key = MigrationLockKey }, transaction).ConfigureAwait(false);
        return transaction;
    }
}
