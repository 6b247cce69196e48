using System.Data.Common;
using Dapper;
using FieldOps.Integration.Core.Sources;
using FieldOps.Integration.Storage.Dialects;

namespace FieldOps.Integration.Storage.Sources;

/// <summary>The watermark statements, shared by the poll append (inside its transaction) and the admin's rewind.</summary>
internal static class WatermarkSql
{
    public static string Ensure(SqlDialect dialect) =>
        dialect.InsertIfAbsent("source_watermark", ["source", "updated_at"], ["@source", "@now"], ["source"]);

    // The last page closes the sweep: the watermark becomes the newest version seen (never moving backwards here;
    // only a rewind moves it back).
    private const string Advance =
        "UPDATE source_watermark SET " +
        "watermark = CASE WHEN @close = 1 AND @max IS NOT NULL AND (watermark IS NULL OR watermark < @max) THEN @max ELSE watermark END, " +
        "sweep_open = CASE WHEN @close = 1 THEN 0 ELSE 1 END, " +
        "sweep_since = CASE WHEN @close = 1 THEN NULL ELSE @since END, " +
        "sweep_cursor = CASE WHEN @close = 1 THEN NULL ELSE @cursor END, " +
        "sweep_max = CASE WHEN @close = 1 THEN NULL ELSE @max END, " +
        "records_total = records_total + @count, updated_at = @now WHERE source = @source";

    public static async Task ApplyAsync(SqlDialect dialect, DbConnection connection, DbTransaction transaction, string source, PageCommit commit, int count)
    {
        var now = commit.At.ToUnixTimeMilliseconds();
        await connection.ExecuteAsync(Ensure(dialect), new { source, now }, transaction).ConfigureAwait(false);
        await connection.ExecuteAsync(Advance, new
        {
            source,
            close = commit.NextCursor is null ? 1 : 0,
            max = commit.SweepMax?.ToUnixTimeMilliseconds(),
            since = commit.SweepSince?.ToUnixTimeMilliseconds(),
            cursor = commit.NextCursor,
            count,
            now,
        }, transaction).ConfigureAwait(false);
    }
}
