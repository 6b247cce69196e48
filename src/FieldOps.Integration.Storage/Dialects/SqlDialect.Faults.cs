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
}
