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
}
