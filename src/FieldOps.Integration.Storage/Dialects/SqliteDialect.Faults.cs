using Microsoft.Data.Sqlite;

namespace FieldOps.Integration.Storage.Dialects;

public sealed partial class SqliteDialect
{
    /// <summary>
    /// Also SQLite's primary result codes for a database it cannot use as it is: 5 and 6 (busy, locked), 7 (out of
    /// memory), 8 (read-only), 9 (interrupted), 10 (an I/O error), 11 (corrupt), 13 (the disk full), 14 (cannot open),
    /// 15 (a locking protocol error) and 26 (not a database). A constraint (19), a value too big (18) or of the wrong type
    /// (20) names the data.
    /// </summary>
    public override bool IsStoreSideFault(Exception exception) =>
        base.IsStoreSideFault(exception) || exception is SqliteException { SqliteErrorCode: 5 or 6 or 7 or 8 or 9 or 10 or 11 or 13 or 14 or 15 or 26 };
}
