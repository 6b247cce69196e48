namespace FieldOps.Integration.Storage.Dialects;

/// <summary>
/// SQL Server's writes. Insert-if-absent inserts and lets the unique key refuse a duplicate, catching only its
/// violation (2627 a constraint, 2601 a unique index): with XACT_ABORT off that error ends the statement, not the
/// caller's transaction. Nothing is returned through <c>OUTPUT</c> to the client there, since an <c>OUTPUT</c> row
/// may reach the client even when the statement then fails; the inserted row is read back by its key instead.
/// </summary>
public sealed partial class SqlServerDialect
{
    private const string DuplicateKeyErrors = "2601, 2627";

    public override string InsertIfAbsent(string table, IReadOnlyList<string> columns, IReadOnlyList<string> values, IReadOnlyList<string> key,
        string? returning = null)
    {
        var readBack = returning is null ? "" : $" SELECT {returning} FROM {table} WHERE {KeyMatch(columns, values, key)};";
        return $"BEGIN TRY INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", values)});{readBack} END TRY " +
            $"BEGIN CATCH IF ERROR_NUMBER() NOT IN ({DuplicateKeyErrors}) OR XACT_STATE() = -1 THROW; END CATCH;";
    }

    // One insert per row, each in its own TRY: a duplicate skips only its row, and the rows take their seq in order.
    // The affected-row count the client sees is the sum over the statements: the number inserted.
    public override string InsertManyIfAbsent(string table, IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<string>> rows, IReadOnlyList<string> key)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return string.Join(" ", rows.Select(r => InsertIfAbsent(table, columns, r, key)));
    }

    // SCOPE_IDENTITY: the identity value this statement's scope inserted last (the returning column is a generated id).
    public override string InsertReturning(string table, IReadOnlyList<string> columns, IReadOnlyList<string> values, string returning) =>
        $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", values)}); SELECT CAST(SCOPE_IDENTITY() AS BIGINT) AS {returning};";

    // HOLDLOCK (serializable) on the target holds the key range from the match to the insert, so two writers of one
    // new key queue up instead of both inserting; the target is not aliased so the assignments may name {table}.col.
    public override string UpsertSet(string table, IReadOnlyList<string> columns, IReadOnlyList<string> values, IReadOnlyList<string> key, string set) =>
        $"MERGE {table} WITH (HOLDLOCK) USING (SELECT {string.Join(", ", key.Select(k => $"{ValueOf(columns, values, k)} AS {k}"))}) AS s " +
        $"ON {string.Join(" AND ", key.Select(k => $"{table}.{k} = s.{k}"))} " +
        $"WHEN MATCHED THEN UPDATE SET {set} " +
        $"WHEN NOT MATCHED THEN INSERT ({string.Join(", ", columns)}) VALUES ({string.Join(", ", values)});";

    private static string KeyMatch(IReadOnlyList<string> columns, IReadOnlyList<string> values, IReadOnlyList<string> key) =>
        string.Join(" AND ", key.Select(k => $"{k} = {ValueOf(columns, values, k)}"));
}
