namespace FieldOps.Integration.Core.Storage;

/// <summary>The database behind the store (<c>Store:Provider</c>).</summary>
public enum StoreProvider
{
    /// <summary>An embedded file under <c>data/</c>: the default, nothing to install.</summary>
    Sqlite,

    /// <summary>PostgreSQL, for production and several worker processes on one database.</summary>
    Postgres,

    /// <summary>SQL Server (2016 or later; Azure SQL), for sites that run it already; tested only where a server is given.</summary>
    SqlServer,
}
