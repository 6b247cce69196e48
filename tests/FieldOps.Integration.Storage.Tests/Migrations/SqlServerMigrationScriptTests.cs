using System.Globalization;
using System.Text.RegularExpressions;
using FieldOps.Integration.Storage.Dialects;
using FieldOps.Integration.Storage.Migrations;

namespace FieldOps.Integration.Storage.Tests.Migrations;

/// <summary>
/// What can be checked of the T-SQL without a SQL Server (none runs here): every file and batch holds statements, GO
/// splits only on its own lines, no PostgreSQL or SQLite grammar slipped in from the twin it was written from, no
/// reserved keyword names a table or column, every index key is bounded and fits SQL Server's key-size limits, a batch
/// never indexes a column it adds itself (such a batch fails to compile), and each table has at most one clustered index.
/// </summary>
public sealed partial class SqlServerMigrationScriptTests
{
    // The files we write. Quartz's own create script (migration 0230, read from its assembly) is not held to these
    // checks of our conventions: Microsoft's parser reads it in TransactSqlParserTests.
    private static readonly IReadOnlyList<Migration> Scripts =
        SqlServerDialect.Instance.Migrations.Where(m => m.Name != QuartzSchema.MigrationName).ToList();

    /// <summary>Grammar of the other providers that T-SQL does not have (or means otherwise).</summary>
    private static readonly (string Pattern, string What)[] Foreign =
    [
        (@"\bON\s+CONFLICT\b", "ON CONFLICT"), (@"\bSKIP\s+LOCKED\b", "SKIP LOCKED"), (@"\bRETURNING\b", "RETURNING"), ("::", ":: casts"),
        (@"\b(BIG)?SERIAL\b", "SERIAL"), (@"\bTIMESTAMPTZ\b", "TIMESTAMPTZ"), (@"\bBYTEA\b", "BYTEA"), (@"\bBOOLEAN\b", "BOOLEAN"),
        (@"\bnextval\s*\(", "nextval()"), (@"\bGENERATED\b", "GENERATED … AS IDENTITY"), (@"\bADD\s+COLUMN\b", "ADD COLUMN"),
        (@"\bstrpos\s*\(", "strpos()"), (@"\bsubstr\s*\(", "substr()"), (@"\bIF\s+NOT\s+EXISTS\b", "IF NOT EXISTS"), (@"\bLIMIT\b", "LIMIT"),
        (@"\bAUTOINCREMENT\b", "AUTOINCREMENT"), (@"\bBLOB\b", "BLOB"), (@"\bPRAGMA\b", "PRAGMA"), (@"\bINSERT\s+OR\b", "INSERT OR …"),
        (@"\bTEXT\b", "TEXT (deprecated in SQL Server: use NVARCHAR)"), (@"\bILIKE\b", "ILIKE"), (@"\|\|", "|| concatenation"),
        (@"\bJSONB?\b", "JSON types"), (@"\bNOW\s*\(", "NOW()"), (@"\bexcluded\.", "excluded."), (@"\bFOR\s+UPDATE\b", "FOR UPDATE"),
    ];

    // Microsoft's list of T-SQL reserved keywords (learn.microsoft.com, "Reserved Keywords (Transact-SQL)").
    private static readonly HashSet<string> Reserved = new(
        """
        ADD ALL ALTER AND ANY AS ASC AUTHORIZATION BACKUP BEGIN BETWEEN BREAK BROWSE BULK BY CASCADE CASE CHECK CHECKPOINT CLOSE
        CLUSTERED COALESCE COLLATE COLUMN COMMIT COMPUTE CONSTRAINT CONTAINS CONTAINSTABLE CONTINUE CONVERT CREATE CROSS CURRENT
        CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER CURSOR DATABASE DBCC DEALLOCATE DECLARE DEFAULT DELETE DENY DESC
        DISK DISTINCT DISTRIBUTED DOUBLE DROP DUMP ELSE END ERRLVL ESCAPE EXCEPT EXEC EXECUTE EXISTS EXIT EXTERNAL FETCH FILE
        FILLFACTOR FOR FOREIGN FREETEXT FREETEXTTABLE FROM FULL FUNCTION GOTO GRANT GROUP HAVING HOLDLOCK IDENTITY IDENTITY_INSERT
        IDENTITYCOL IF IN INDEX INNER INSERT INTERSECT INTO IS JOIN KEY KILL LEFT LIKE LINENO LOAD MERGE NATIONAL NOCHECK
        NONCLUSTERED NOT NULL NULLIF OF OFF OFFSETS ON OPEN OPENDATASOURCE OPENQUERY OPENROWSET OPENXML OPTION OR ORDER OUTER OVER
        PERCENT PIVOT PLAN PRECISION PRIMARY PRINT PROC PROCEDURE PUBLIC RAISERROR READ READTEXT RECONFIGURE REFERENCES REPLICATION
        RESTORE RESTRICT RETURN REVERT REVOKE RIGHT ROLLBACK ROWCOUNT ROWGUIDCOL RULE SAVE SCHEMA SECURITYAUDIT SELECT
        SEMANTICKEYPHRASETABLE SEMANTICSIMILARITYDETAILSTABLE SEMANTICSIMILARITYTABLE SESSION_USER SET SETUSER SHUTDOWN SOME
        STATISTICS SYSTEM_USER TABLE TABLESAMPLE TEXTSIZE THEN TO TOP TRAN TRANSACTION TRIGGER TRUNCATE TRY_CONVERT TSEQUAL UNION
        UNIQUE UNPIVOT UPDATE UPDATETEXT USE USER VALUES VARYING VIEW WAITFOR WHEN WHERE WHILE WITH WRITETEXT
        """.Split((char[])[' ', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries), StringComparer.OrdinalIgnoreCase);

    public static TheoryData<int> Versions => new(Scripts.Select(m => m.Version));

    [Theory]
    [MemberData(nameof(Versions))]
    public void Script_EveryBatchHoldsAStatement_AndNoOtherProvidersGrammar(int version)
    {
        var script = Scripts.Single(m => m.Version == version);
        Assert.NotEmpty(SqlServerDialect.Instance.Batches(script.Sql));
        Assert.Empty(ScriptProblems(script));
    }

    [Fact]
    public void Schema_NoReservedNames_IndexKeysBoundedAndWithinTheLimits_OneClusteredIndexATable_NoBatchIndexesWhatItAdds()
    {
        var schema = Schema.Read(Scripts);
        Assert.Contains("dead_class", schema.Tables["outbox"].Keys);
        Assert.Contains(schema.Indexes, i => i.Table == "inbox" && i.Unique && i.Columns.SequenceEqual(["source", "dedup_key"]));
        Assert.Contains(schema.Indexes, i => i.Table == "entity_version" && i.Clustered && i.Columns.SequenceEqual(["recorded_at"]));
        Assert.Empty(SchemaProblems(Scripts));
    }

    [Fact]
    public void TheChecks_FindTheMistakesTheyAreFor()
    {
        Migration Script(int version, string sql) => new(version, "bad", sql);
        Assert.Contains(ScriptProblems(Script(1, "-- it's fine to say ON CONFLICT in a comment\nINSERT INTO t (a) VALUES ('--') ON CONFLICT DO NOTHING;")),
            p => p.Contains("ON CONFLICT", StringComparison.Ordinal));
        Assert.Empty(ScriptProblems(Script(1, "-- it's fine to say ON CONFLICT or RETURNING in a comment\nSELECT 'RETURNING ::';")));
        Assert.Contains(ScriptProblems(Script(1, "CREATE TABLE t (a INT);\nGO\n-- only a comment\nGO")), p => p.Contains("only comments", StringComparison.Ordinal));
        Assert.Contains(ScriptProblems(Script(1, "CREATE TABLE t (a TEXT, b BIGSERIAL, c TIMESTAMPTZ);")), p => p.Contains("TEXT", StringComparison.Ordinal));
        var problems = SchemaProblems(
        [
            Script(1, "CREATE TABLE t (id NVARCHAR(500) NOT NULL CONSTRAINT pk_t PRIMARY KEY, [key] INT, big NVARCHAR(MAX), k2 NVARCHAR(500));\n" +
                "CREATE INDEX ix_big ON t (big);\nCREATE CLUSTERED INDEX ix_k2 ON t (k2);"),
            Script(2, "CREATE TABLE file (a INT, b NVARCHAR(600), c NVARCHAR(600));\nCREATE INDEX ix_bc ON file (b, c);"),
            Script(3, "ALTER TABLE t ADD d INT NULL;\nCREATE INDEX ix_d ON t (d);"),
        ]);
        Assert.Contains(problems, p => p.Contains("pk_t on t (id): 1000 bytes, the limit is 900", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("ix_big on t: a (MAX) column", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("t has 2 clustered indexes", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("reserved T-SQL keyword as a name: file", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("ix_bc on file (b, c): 2400 bytes, the limit is 1700", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("0003_bad: index ix_d names d, added in the same batch", StringComparison.Ordinal));
    }

    [Fact]
    public void SplitOnGo_SplitsOnLinesHoldingOnlyGo_AndNowhereElse()
    {
        var batches = SqlServerDialect.SplitOnGo(
            "CREATE TABLE category (id INT);\n  go  \r\nALTER TABLE category ADD goal INT; -- GO here is a comment\nGO;\n-- only a comment\nGO\nSELECT 'GO'\nGO\n");
        Assert.Equal(["CREATE TABLE category (id INT);", "ALTER TABLE category ADD goal INT; -- GO here is a comment", "SELECT 'GO'"], batches);
        Assert.Equal(["SELECT 1"], SqlServerDialect.SplitOnGo("SELECT 1"));
    }

    private static List<string> ScriptProblems(Migration script)
    {
        var problems = new List<string>();
        var name = $"{script.Version:D4}_{script.Name}";
        // A comment-only batch is dropped by the split; a file whose GO lines frame only comments says so here.
        var between = Regex.Split(script.Sql, @"^[ \t]*GO[ \t]*;?[ \t]*\r?$", RegexOptions.Multiline | RegexOptions.IgnoreCase).ToList();
        if (between.Count > 1 && string.IsNullOrWhiteSpace(between[^1]))
            between.RemoveAt(between.Count - 1); // the end of the file after its last GO
        if (between.Count > 1 && between.Any(b => string.IsNullOrWhiteSpace(Code(b))))
            problems.Add($"{name}: a batch holds only comments");
        var code = Code(script.Sql);
        if (string.IsNullOrWhiteSpace(code))
            problems.Add($"{name}: holds no statement");
        foreach (var (pattern, what) in Foreign)
        {
            if (Regex.IsMatch(code, pattern, RegexOptions.IgnoreCase))
                problems.Add($"{name}.sql uses {what}, which is not T-SQL");
        }
        return problems;
    }

    private static List<string> SchemaProblems(IReadOnlyList<Migration> scripts)
    {
        var problems = new List<string>();
        var schema = Schema.Read(scripts);
        problems.AddRange(schema.Tables.SelectMany(t => t.Value.Keys.Prepend(t.Key)).Where(n => Reserved.Contains(n.Trim('[', ']')) && !n.StartsWith('['))
            .Select(n => $"reserved T-SQL keyword as a name: {n}"));
        foreach (var index in schema.Indexes)
        {
            var types = index.Columns.Select(c => schema.Tables[index.Table].GetValueOrDefault(c)).ToList();
            if (types.Any(t => t is null))
            {
                problems.Add($"{index.Name} on {index.Table}: names a column the table does not have");
                continue;
            }
            if (types.Any(t => t!.EndsWith("(MAX)", StringComparison.OrdinalIgnoreCase)))
            {
                problems.Add($"{index.Name} on {index.Table}: a (MAX) column cannot be an index key");
                continue;
            }
            var bytes = types.Sum(t => KeyBytes(index, t!));
            var limit = index.Clustered ? 900 : 1700;
            if (bytes > limit)
                problems.Add($"{index.Name} on {index.Table} ({string.Join(", ", index.Columns)}): {bytes} bytes, the limit is {limit}");
        }
        foreach (var table in schema.Indexes.GroupBy(i => i.Table).Where(t => t.Count(i => i.Clustered) > 1))
            problems.Add($"{table.Key} has {table.Count(i => i.Clustered)} clustered indexes");
        foreach (var script in scripts)
        {
            foreach (var batch in SqlServerDialect.Instance.Batches(script.Sql))
            {
                var code = Code(batch);
                var added = AlterAdd().Matches(code).SelectMany(m => Items(m.Groups["items"].Value).Select(ColumnName)).ToHashSet(StringComparer.OrdinalIgnoreCase);
                foreach (Match index in CreateIndex().Matches(code))
                {
                    var used = Columns(index.Groups["cols"].Value).Where(added.Contains).ToList();
                    if (used.Count > 0)
                        problems.Add($"{script.Version:D4}_{script.Name}: index {index.Groups["name"].Value} names {string.Join(", ", used)}, added in the same batch: put a GO line between");
                }
            }
        }
        return problems;
    }

    private static int KeyBytes(Index index, string type)
    {
        var m = Regex.Match(type, @"^(?<t>\w+)(\((?<n>\w+)(,\s*\d+)?\))?$");
        var length = m.Groups["n"].Value is { Length: > 0 } n ? int.Parse(n, CultureInfo.InvariantCulture) : 0;
        return m.Groups["t"].Value.ToUpperInvariant() switch
        {
            "NVARCHAR" or "NCHAR" => 2 * length,
            "VARCHAR" or "CHAR" or "VARBINARY" or "BINARY" => length,
            "BIGINT" => 8,
            "INT" => 4,
            "SMALLINT" => 2,
            "BIT" or "TINYINT" => 1,
            "DATETIMEOFFSET" => 10,
            var other => throw new Xunit.Sdk.XunitException($"{index.Name}: no key size known for type {other}"),
        };
    }

    /// <summary>
    /// The code of a script: comments removed and string literals emptied (their text is data, not grammar), read in
    /// one pass from the left so an apostrophe in a comment or "--" in a literal is read as what it is.
    /// </summary>
    private static string Code(string sql)
    {
        var code = new System.Text.StringBuilder(sql.Length);
        for (var i = 0; i < sql.Length; i++)
        {
            if (sql[i] == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                while (i < sql.Length && sql[i] != '\n')
                    i++;
                code.Append('\n');
            }
            else if (sql[i] == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
            {
                var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? sql.Length : end + 1;
                code.Append(' ');
            }
            else if (sql[i] == '\'')
            {
                // '' inside a literal is an escaped quote: the literal goes on.
                for (i++; i < sql.Length && !(sql[i] == '\'' && (i + 1 >= sql.Length || sql[i + 1] != '\'')); i++)
                {
                    if (sql[i] == '\'')
                        i++;
                }
                code.Append("''");
            }
            else
            {
                code.Append(sql[i]);
            }
        }
        return code.ToString();
    }

    private static IEnumerable<string> Items(string body)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < body.Length; i++)
        {
            depth += body[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (body[i] == ',' && depth == 0)
            {
                yield return body[start..i].Trim();
                start = i + 1;
            }
        }
        yield return body[start..].Trim();
    }

    private static string ColumnName(string item) => item.Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries)[0];

    private static List<string> Columns(string list) =>
        list.Split(',').Select(c => Regex.Replace(c.Trim(), @"\s+(ASC|DESC)$", "", RegexOptions.IgnoreCase)).ToList();

    private sealed record Index(string Name, string Table, List<string> Columns, bool Clustered, bool Unique);

    private sealed class Schema
    {
        public Dictionary<string, Dictionary<string, string>> Tables { get; } = new(StringComparer.OrdinalIgnoreCase);

        public List<Index> Indexes { get; } = [];

        public static Schema Read(IEnumerable<Migration> scripts)
        {
            var schema = new Schema();
            foreach (var script in scripts)
            {
                var code = Code(script.Sql);
                foreach (Match table in CreateTable().Matches(code))
                {
                    var name = table.Groups["name"].Value;
                    schema.Tables[name] = new(StringComparer.OrdinalIgnoreCase);
                    foreach (var item in Items(table.Groups["body"].Value))
                        schema.AddItem(name, item);
                }
                foreach (Match alter in AlterAdd().Matches(code))
                {
                    foreach (var item in Items(alter.Groups["items"].Value))
                        schema.AddItem(alter.Groups["table"].Value, item);
                }
                foreach (Match index in CreateIndex().Matches(code))
                {
                    schema.Indexes.Add(new(index.Groups["name"].Value, index.Groups["table"].Value, Columns(index.Groups["cols"].Value),
                        index.Groups["kind"].Value.Equals("CLUSTERED", StringComparison.OrdinalIgnoreCase), index.Groups["unique"].Success));
                }
            }
            return schema;
        }

        private void AddItem(string table, string item)
        {
            if (TableConstraint().Match(item) is { Success: true } constraint)
            {
                var primary = constraint.Groups["what"].Value.StartsWith("PRIMARY", StringComparison.OrdinalIgnoreCase);
                Indexes.Add(new(constraint.Groups["name"].Value, table, Columns(constraint.Groups["cols"].Value),
                    primary && !constraint.Groups["kind"].Value.Equals("NONCLUSTERED", StringComparison.OrdinalIgnoreCase), true));
                return;
            }
            var name = ColumnName(item);
            var computed = Regex.Match(item, @"^\w+\s+AS\s+.*\bAS\s+(?<type>\w+(\(\w+\))?)\)", RegexOptions.IgnoreCase | RegexOptions.Singleline);
            var type = computed.Success ? computed.Groups["type"].Value : Regex.Match(item, @"^\w+\s+(?<type>\w+(\(\s*\w+\s*(,\s*\d+\s*)?\))?)").Groups["type"].Value;
            Tables[table][name] = Regex.Replace(type, @"\s+", "");
            if (Regex.Match(item, @"(CONSTRAINT\s+(?<name>\w+)\s+)?PRIMARY\s+KEY\b", RegexOptions.IgnoreCase) is { Success: true } inlineKey)
            {
                Indexes.Add(new(inlineKey.Groups["name"].Success ? inlineKey.Groups["name"].Value : $"pk of {table}", table, [name],
                    !Regex.IsMatch(item, @"\bNONCLUSTERED\b", RegexOptions.IgnoreCase), true));
            }
            else if (Regex.IsMatch(item, @"\bUNIQUE\b", RegexOptions.IgnoreCase))
                Indexes.Add(new($"unique {name} of {table}", table, [name], false, true));
        }
    }

    [GeneratedRegex(@"CREATE\s+TABLE\s+(?<name>\w+)\s*\((?<body>.*?)\)\s*;", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex CreateTable();

    [GeneratedRegex(@"ALTER\s+TABLE\s+(?<table>\w+)\s+ADD\s+(?<items>[^;]*);", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex AlterAdd();

    [GeneratedRegex(@"CREATE\s+(?<unique>UNIQUE\s+)?(?<kind>CLUSTERED|NONCLUSTERED)?\s*INDEX\s+(?<name>\w+)\s+ON\s+(?<table>\w+)\s*\((?<cols>[^)]*)\)",
        RegexOptions.IgnoreCase)]
    private static partial Regex CreateIndex();

    [GeneratedRegex(@"^CONSTRAINT\s+(?<name>\w+)\s+(?<what>PRIMARY\s+KEY|UNIQUE)\s*(?<kind>CLUSTERED|NONCLUSTERED)?\s*\((?<cols>[^)]*)\)",
        RegexOptions.IgnoreCase)]
    private static partial Regex TableConstraint();
}
