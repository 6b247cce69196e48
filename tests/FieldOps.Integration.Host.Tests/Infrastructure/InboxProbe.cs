using Microsoft.Data.Sqlite;

namespace FieldOps.Integration.Host.Tests.Infrastructure;

/// <summary>Reads the inbox table of a SQLite file directly, as an admin would, to check what was stored.</summary>
public static class InboxProbe
{
    public static long Count(string databasePath)
    {
        if (!File.Exists(databasePath))
            return 0;
        using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM inbox";
        return (long)command.ExecuteScalar()!;
    }

    public static IReadOnlyList<(long Id, string Source, string DedupKey, string Body)> All(string databasePath)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, source, dedup_key, body FROM inbox ORDER BY id";
        using var reader = command.ExecuteReader();
        var rows = new List<(long, string, string, string)>();
        while (reader.Read())
            rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), System.Text.Encoding.UTF8.GetString((byte[])reader[3])));
        return rows;
    }
}
