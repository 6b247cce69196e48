using Microsoft.Data.SqlClient;

namespace FieldOps.Integration.Storage.Dialects;

public sealed partial class SqlServerDialect
{
    /// <summary>
    /// Also what SqlClient reports by number: -2 (a command's timeout), 53 and 10060 (the server cannot be reached),
    /// 233, 10053 and 10054 (the connection was closed or reset), and any error of severity 20 or more (fatal: the server
    /// closes the connection). SqlClient sets no SQLSTATE, and a broken connection's exception is not always transient.
    /// </summary>
    public override bool IsStoreFault(Exception exception) =>
        base.IsStoreFault(exception)
        || exception is SqlException { Number: -2 or 53 or 233 or 10053 or 10054 or 10060 } or SqlException { Class: >= 20 };

    /// <summary>
    /// Also by number (SqlClient sets no SQLSTATE): 1205 (deadlock victim), 1222 (lock timeout), 3960 and 3961 (snapshot
    /// conflicts), 701, 802 and 8645 (out of memory), 1105 and 9002 (a filegroup or the log full), 3906 (a read-only
    /// database), 976, 978 and 983 (an availability replica not readable or writable), 4060 and 18456 (the database cannot
    /// be opened, the login refused), 1101 (no room for a new page), 1204 (no lock available), 40197, 40501, 40613,
    /// 49918-49920, 10928 and 10929 (Azure SQL busy, throttling or moving the database), 40544 and 40552 (Azure SQL's
    /// size quota, a transaction's log space).
    /// </summary>
    public override bool IsStoreSideFault(Exception exception) =>
        base.IsStoreSideFault(exception)
        || exception is SqlException
        {
            Number: 1205 or 1222 or 3960 or 3961 or 701 or 802 or 8645 or 1105 or 9002 or 3906 or 976 or 978 or 983 or 4060 or 18456
                or 1101 or 1204 or 40544 or 40552 or 40197 or 40501 or 40613 or 49918 or 49919 or 49920 or 10928 or 10929,
        };
}
