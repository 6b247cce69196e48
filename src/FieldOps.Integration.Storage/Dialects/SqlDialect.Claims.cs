namespace FieldOps.Integration.Storage.Dialects;

public abstract partial class SqlDialect
{
    /// <summary>
    /// The lease claim, in one statement: takes up to <paramref name="count"/> rows of <paramref name="table"/>
    /// (aliased <paramref name="alias"/>) that match <paramref name="filter"/>, in <paramref name="orderBy"/> order,
    /// sets <paramref name="set"/> on them and returns <paramref name="columns"/>. Concurrent claimers never take
    /// the same row: SQLite runs it under the write lock (the caller's <c>BEGIN IMMEDIATE</c>); server databases
    /// skip rows another claimer has locked. Any table with an <c>id</c> key and lease columns can use it.
    /// </summary>
    public virtual string ClaimRows(string table, string alias, string filter, string orderBy, string count, string set, IReadOnlyList<string> columns) =>
        $"UPDATE {table} SET {set} WHERE id IN (SELECT {alias}.id FROM {table} {alias} WHERE {filter} ORDER BY {orderBy} {Limit(count)}{SkipLocked}) " +
        $"RETURNING {string.Join(", ", columns)}";

    /// <summary>What makes concurrent claimers pass each other's locked rows, after the candidates' query.</summary>
    protected virtual string SkipLocked => "";
}
