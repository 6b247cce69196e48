using System.Data.Common;
using FieldOps.Integration.Core.Storage;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace FieldOps.Integration.Storage;

/// <summary>
/// The startup check of <c>Store:ConnectionString</c>: what can never work is a configuration error (malformed, another
/// provider's settings, a SQLite path through a file); what may work later (a folder or file not writable now, a
/// server that is down) is not checked here — the service starts not ready and retries. It touches nothing.
/// </summary>
internal static class StoreConnectionStringCheck
{
    private const string Key = "Store:ConnectionString";

    /// <summary>Null when the connection string can work, else the one line naming the key.</summary>
    public static string? Problem(StoreOptions options)
    {
        var text = options.EffectiveConnectionString;
        DbConnectionStringBuilder generic;
        try
        {
            generic = new DbConnectionStringBuilder { ConnectionString = text };
        }
        catch (ArgumentException)
        {
            return $"{Key}: is not a connection string (expected key=value pairs separated by ';').";
        }
        return options.Provider switch
        {
            StoreProvider.Postgres when IsSqliteShaped(generic) =>
                $"{Key}: holds SQLite settings (Data Source=…) but Store:Provider is Postgres; give Host=…;Database=…;Username=… or set Store:Provider=Sqlite.",
            StoreProvider.Postgres => PostgresProblem(text),
            StoreProvider.Sqlite => SqliteProblem(text),
            StoreProvider.SqlServer => SqlServerProblem(text),
            _ => null,
        };
    }

    private static string? PostgresProblem(string text)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(text);
        }
        catch (ArgumentException ex)
        {
            return $"{Key}: is not a PostgreSQL connection string ({ex.Message}).";
        }
        return string.IsNullOrWhiteSpace(builder.Host) ? $"{Key}: names no Host for Store:Provider Postgres." : null;
    }

    private static string? SqlServerProblem(string text)
    {
        SqlConnectionStringBuilder builder;
        try
        {
            builder = new SqlConnectionStringBuilder(text);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            return $"{Key}: is not a SQL Server connection string ({ex.Message}).";
        }
        return string.IsNullOrWhiteSpace(builder.DataSource) ? $"{Key}: names no Server (Data Source) for Store:Provider SqlServer." : null;
    }

    private static string? SqliteProblem(string text)
    {
        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(text);
        }
        catch (ArgumentException ex)
        {
            return $"{Key}: is not a SQLite connection string ({ex.Message}); for PostgreSQL set Store:Provider=Postgres.";
        }
        if (string.IsNullOrWhiteSpace(builder.DataSource))
            return $"{Key}: names no Data Source (the SQLite file).";
        if (builder.Mode == SqliteOpenMode.Memory || builder.DataSource == ":memory:")
            return null;
        var folder = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        // A folder that exists but cannot be written now, or that cannot be created now, may work later (a volume not
        // mounted yet): the service starts not ready and retries. A path through a file can never work.
        for (var dir = folder; !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
        {
            if (Directory.Exists(dir))
                return null;
            if (File.Exists(dir))
                return $"{Key}: the folder '{folder}' of the SQLite file cannot exist: '{dir}' is a file.";
        }
        return null;
    }

    private static bool IsSqliteShaped(DbConnectionStringBuilder builder) =>
        !builder.ContainsKey("Host") && !builder.ContainsKey("Server") && (builder.ContainsKey("Data Source") || builder.ContainsKey("Filename"));
}
