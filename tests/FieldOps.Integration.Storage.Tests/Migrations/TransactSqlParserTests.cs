using System.Reflection;
using System.Text.RegularExpressions;
using FieldOps.Integration.Core.Storage;
using FieldOps.Integration.Storage.Dialects;
using FieldOps.Integration.Storage.Inbox;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace FieldOps.Integration.Storage.Tests.Migrations;

/// <summary>
/// Microsoft's own T-SQL parser (ScriptDom, SQL Server 2022 grammar) reads every batch of the SQL Server migrations and
/// every statement the stores build with the SQL Server dialect: a syntax error fails here, without a server. (It checks
/// grammar, not names or types: that needs a server.)
/// </summary>
public sealed partial class TransactSqlParserTests
{
    public static TheoryData<int> Versions => new(SqlServerDialect.Instance.Migrations.Select(m => m.Version));

    [Theory]
    [MemberData(nameof(Versions))]
    public void EveryMigrationBatch_ParsesAsTransactSql(int version)
    {
        var script = SqlServerDialect.Instance.Migrations.Single(m => m.Version == version);
        foreach (var batch in SqlServerDialect.Instance.Batches(script.Sql))
            Assert.Empty(Errors(batch));
    }

    [Fact]
    public void EveryStatementTheStoresBuild_ParsesAsTransactSql()
    {
        var statements = StoreStatements().Where(s => Statement().IsMatch(s.Sql)).ToList();
        Assert.True(statements.Count > 40, $"found only {statements.Count} statements");
        Assert.Contains(statements, s => s.Sql.Contains("WITH (UPDLOCK, READPAST, ROWLOCK)", StringComparison.Ordinal));
        Assert.Contains(statements, s => s.Sql.StartsWith("MERGE ", StringComparison.Ordinal));
        Assert.Contains(statements, s => s.Sql.StartsWith("BEGIN TRY", StringComparison.Ordinal));
        var failures = statements.Select(s => (s.Where, Errors: Errors(s.Sql))).Where(f => f.Errors.Count > 0)
            .Select(f => $"{f.Where}: {string.Join("; ", f.Errors)}").ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void TheParser_RefusesPostgresGrammar()
    {
        Assert.NotEmpty(Errors("INSERT INTO t (a) VALUES (1) ON CONFLICT (a) DO NOTHING RETURNING a"));
        Assert.NotEmpty(Errors("BEGIN TRY INSERT INTO t (a) VALUES (1) END TRY BEGIN CATCH IF ERROR_NUMBER() NOT IN (2601, 2627) THROW END CATCH"
            .Replace("THROW", "THROW 1", StringComparison.Ordinal)));
        Assert.Empty(Errors("SELECT 1;"));
    }

    private static List<string> Errors(string sql)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(DapperLists().Replace(sql, "IN (@$1_1, @$1_2)"));
        parser.Parse(reader, out var errors);
        return errors.Select(e => $"line {e.Line} col {e.Column}: {e.Message}").ToList();
    }

    // The SQL the stores hold in constants, in properties of the query classes built from a dialect, in what the SQL
    // helpers return for a dialect, and in the private fields the stores fill in their constructors.
    private static IEnumerable<(string Where, string Sql)> StoreStatements()
    {
        var dialect = SqlServerDialect.Instance;
        var connections = new SqlServerConnectionFactory(new StoreOptions { Provider = StoreProvider.SqlServer, ConnectionString = "Server=none;Database=none" });
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        foreach (var type in typeof(SqlServerDialect).Assembly.GetTypes().Where(t => !t.IsGenericTypeDefinition && !t.IsAbstract || t.IsSealed && t.IsAbstract))
        {
            foreach (var field in type.GetFields(all).Where(f => f.IsLiteral && f.FieldType == typeof(string)))
                yield return ($"{type.Name}.{field.Name}", (string)field.GetRawConstantValue()!);
            foreach (var method in type.GetMethods(all).Where(m => m.IsStatic && m.ReturnType == typeof(string) && m.GetParameters() is [{ ParameterType: var p }] && p == typeof(SqlDialect)))
                yield return ($"{type.Name}.{method.Name}", (string)method.Invoke(null, [dialect])!);
            object? instance = null;
            if (type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance).FirstOrDefault(c => c.GetParameters() is [{ ParameterType: var d }] && d == typeof(SqlDialect)) is { } byDialect)
                instance = byDialect.Invoke([dialect]);
            else if (type.GetConstructors().FirstOrDefault(c => c.GetParameters().Length > 0 && c.GetParameters().All(p => p.ParameterType == typeof(IStoreConnections) || p.ParameterType == typeof(TimeProvider))) is { } byConnections)
                instance = byConnections.Invoke(byConnections.GetParameters().Select(p => p.ParameterType == typeof(TimeProvider) ? TimeProvider.System : (object)connections).ToArray());
            if (instance is null)
                continue;
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.PropertyType == typeof(string)))
                yield return ($"{type.Name}.{property.Name}", (string)property.GetValue(instance)!);
            foreach (var field in type.GetFields(BindingFlags.NonPublic | BindingFlags.Instance).Where(f => f.FieldType == typeof(string)))
                yield return ($"{type.Name}.{field.Name}", (string)field.GetValue(instance)!);
        }
        var inbox = new InboxStore(connections, new StoreOptions(), NullLogger<InboxStore>.Instance);
        foreach (var field in typeof(InboxStore).GetFields(BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static).Where(f => f.FieldType == typeof(string)))
            yield return ($"InboxStore.{field.Name}", (string)field.GetValue(field.IsStatic ? null : inbox)!);
        inbox.DisposeAsync().AsTask().GetAwaiter().GetResult();
        yield return ("SqlServerDialect.CreateSchemaVersionTable", dialect.CreateSchemaVersionTable);
    }

    [GeneratedRegex(@"^\s*(SELECT|INSERT|UPDATE|DELETE|WITH|MERGE|BEGIN|IF|CREATE)\b")]
    private static partial Regex Statement();

    // Dapper expands a list parameter written "IN @Ids" into "IN (@Ids1, @Ids2, …)" before the server sees it.
    [GeneratedRegex(@"IN @(\w+)")]
    private static partial Regex DapperLists();
}
