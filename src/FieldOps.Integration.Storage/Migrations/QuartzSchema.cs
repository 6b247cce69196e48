using System.Text.RegularExpressions;

namespace FieldOps.Integration.Storage.Migrations;

/// <summary>
/// The tables of Quartz.NET's clustered job store, which shares the poll and housekeeping schedule among the processes
/// on one PostgreSQL or SQL Server database. Their DDL is not written here: a migration file holding the line
/// <c>-- quartz-schema: create_postgres.sql</c> stands for the create script of that name the Quartz assembly ships
/// (create-if-missing, never dropping), read when the migrations are, so the tables always match the Quartz we run.
/// </summary>
public static partial class QuartzSchema
{
    /// <summary>The table prefix the scheduler is configured with (<c>qrtz_job_details</c>, <c>qrtz_triggers</c>, …).</summary>
    public const string TablePrefix = "qrtz_";

    /// <summary>The name of the migration that creates the tables (<c>0230_quartz_scheduler.sql</c> in each folder).</summary>
    public const string MigrationName = "quartz_scheduler";

    /// <summary>
    /// <paramref name="sql"/> with its <c>-- quartz-schema: {script}</c> line replaced by that Quartz script's
    /// statements, our prefix in place of its placeholders, joined by <paramref name="batchSeparator"/> lines when the
    /// dialect needs one (SQL Server's <c>GO</c>); unchanged without such a line. The script's own header, which
    /// describes how Quartz runs it, is left out.
    /// </summary>
    public static string Expand(string sql, string? batchSeparator)
    {
        var directive = Directive().Match(sql);
        if (!directive.Success)
            return sql;
        var script = ReadScript(directive.Groups["script"].Value.Trim());
        // {0} is the prefix, {1} the same without a schema qualifier; ours has none.
        script = script.Replace("{0}", TablePrefix, StringComparison.Ordinal).Replace("{1}", TablePrefix, StringComparison.Ordinal);
        var statements = Separator().Split(script).Skip(1).Select(s => s.Trim()).Where(s => s.Length > 0);
        script = string.Join(batchSeparator is null ? "\n" : $"\n{batchSeparator}\n", statements) + "\n";
        return string.Concat(sql.AsSpan(0, directive.Index), script, sql.AsSpan(directive.Index + directive.Length));
    }

    private static string ReadScript(string script)
    {
        var resource = "Quartz.Impl.AdoJobStore.Schema." + script;
        using var stream = typeof(Quartz.IScheduler).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException(
                $"The Quartz assembly ships no schema script '{script}' (resource {resource}); the migration naming it cannot run.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^--[ \t]*quartz-schema:[ \t]*(?<script>\S+)[ \t]*\r?$", RegexOptions.Multiline)]
    private static partial Regex Directive();

    [GeneratedRegex(@"^--;;[ \t]*\r?$", RegexOptions.Multiline)]
    private static partial Regex Separator();
}
