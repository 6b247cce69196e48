using System.Data.Common;
using System.Net.Sockets;

namespace FieldOps.Integration.Storage.Dialects;

public abstract partial class SqlDialect
{
    /// <summary>
    /// Whether a fault is the store's rather than the transaction's: the connection was lost (the server went away,
    /// restarted, or ended the session) or the store timed out. Another transaction on the same store would fail the same
    /// way, so <see cref="GroupCommit{TItem, TResult}"/> fails the rest of its group at once instead of trying each item
    /// alone. A server's answer about the transaction itself (a constraint, a deadlock, a serialization failure) is not.
    /// <value>By default a timeout, a transient driver fault caused by the connection's I/O, or SQLSTATE class 08
    /// (connection exception, SQL standard); each provider adds its own codes.</value>
    /// </summary>
    public virtual bool IsStoreFault(Exception exception) =>
        exception is TimeoutException
        || exception is DbException { IsTransient: true, InnerException: IOException or SocketException or TimeoutException }
        || exception is DbException { SqlState: { } state } && state.StartsWith("08", StringComparison.Ordinal);

    /// <summary>
    /// Whether a failed write says nothing about the data it wrote, so the same write may pass later: a store fault
    /// (<see cref="IsStoreFault"/>), or the store busy, locked, full, read-only, out of memory or shutting down, or the
    /// transaction losing a race (a deadlock, a serialization failure, a lock timeout), or the write cancelled. The router
    /// parks an event whose commit fails alone only for a fault that is not: one that names the event's own data (a value
    /// the column or the driver refuses, a constraint its rows break), which would fail at every try.
    /// <value>By default also I/O and socket faults, a fault the driver calls transient, SQLSTATE classes 40
    /// (transaction rollback), 53 (insufficient resources), 57 (operator intervention: a cancelled statement, a shutdown),
    /// 58 (system error) and XX (internal error, corruption), 25006 (a read-only transaction: a standby after a failover),
    /// 55P03 and 55006 (a lock or object in use), and any of these as the inner exception; each provider adds its own.</value>
    /// </summary>
    public virtual bool IsStoreSideFault(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return IsStoreFault(exception)
            || exception is OperationCanceledException or IOException or SocketException or UnauthorizedAccessException
            || exception is DbException { IsTransient: true }
            || exception is DbException { SqlState: { Length: 5 } state } && IsStoreSideState(state)
            || exception.InnerException is { } inner && IsStoreSideFault(inner);
    }

    private static bool IsStoreSideState(string state) =>
        state[..2] is "40" or "53" or "57" or "58" or "XX" || state is "25006" or "55P03" or "55006";
}
