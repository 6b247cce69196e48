namespace FieldOps.Integration.Storage.Dialects;

public abstract partial class SqlDialect
{
    /// <summary>
    /// Inserts one row unless a row with the same <paramref name="key"/> exists (then nothing, no error); with
    /// <paramref name="returning"/>, the inserted row's column comes back and a duplicate returns no row.
    /// </summary>
    /// <param name="table">The table.</param>
    /// <param name="columns">The columns written.</param>
    /// <param name="values">One SQL expression per column, in the same order.</param>
    /// <param name="key">The unique key's columns (each among <paramref name="columns"/>).</param>
    /// <param name="returning">A column to return from the inserted row, or null.</param>
    public virtual string InsertIfAbsent(string table, IReadOnlyList<string> columns, IReadOnlyList<string> values, IReadOnlyList<string> key,
        string? returning = null) =>
        InsertManyIfAbsent(table, columns, [values], key) + (returning is null ? "" : $" RETURNING {returning}");

    /// <summary>
    /// Inserts several rows in one statement, each unless a row with the same <paramref name="key"/> exists (then
    /// that row is skipped, no error). The affected-row count is the number inserted.
    /// </summary>
    /// <param name="table">The table.</param>
    /// <param name="columns">The columns written.</param>
    /// <param name="rows">Per row, one SQL expression per column, in the order of <paramref name="columns"/>.</param>
    /// <param name="key">The unique key's columns.</param>
    public virtual string InsertManyIfAbsent(string table, IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<string>> rows, IReadOnlyList<string> key)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES " + string.Join(", ", rows.Select(r => $"({string.Join(", ", r)})")) +
            $" ON CONFLICT ({string.Join(", ", key)}) DO NOTHING";
    }

    /// <summary>Inserts one row and returns its <paramref name="returning"/> column (a generated id).</summary>
    public virtual string InsertReturning(string table, IReadOnlyList<string> columns, IReadOnlyList<string> values, string returning) =>
        $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", values)}) RETURNING {returning}";

    /// <summary>Inserts one row, or on a <paramref name="key"/> conflict sets <paramref name="update"/> to the new values.</summary>
    public string Upsert(string table, IReadOnlyList<string> columns, IReadOnlyList<string> values, IReadOnlyList<string> key,
        IReadOnlyList<string> update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return UpsertSet(table, columns, values, key, string.Join(", ", update.Select(c => $"{c} = {ValueOf(columns, values, c)}")));
    }

    /// <summary>
    /// Inserts one row, or on a <paramref name="key"/> conflict runs the assignments <paramref name="set"/> on the row
    /// there (<c>col = expression</c>; the expressions may read the row's current values as <c>{table}.col</c>).
    /// </summary>
    public virtual string UpsertSet(string table, IReadOnlyList<string> columns, IReadOnlyList<string> values, IReadOnlyList<string> key, string set) =>
        $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", values)}) " +
        $"ON CONFLICT ({string.Join(", ", key)}) DO UPDATE SET {set}";

    /// <summary>Checks that every key column is written, so a dialect can pair key columns with their values.</summary>
    protected static string ValueOf(IReadOnlyList<string> columns, IReadOnlyList<string> values, string column)
    {
        var index = columns.ToList().IndexOf(column);
        if (index < 0 || columns.Count != values.Count)
            throw new ArgumentException($"Key column {column} is not among the columns written.", nameof(columns));
        return values[index];
    }
}
