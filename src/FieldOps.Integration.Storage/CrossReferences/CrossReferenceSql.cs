using System.Globalization;
using FieldOps.Integration.Storage.Dialects;

namespace FieldOps.Integration.Storage.CrossReferences;

/// <summary>The <c>xref</c> statements shared by the cross-reference store and the dispatcher's write-back.</summary>
internal static class CrossReferenceSql
{
    /// <summary>
    /// The target ids of <paramref name="count"/> keys (parameters <c>@sN</c>, <c>@tN</c>, <c>@iN</c>), each answer
    /// tagged with its key's place <c>k</c>: a branch per key, so each matches exactly as the server compares one key.
    /// </summary>
    public static string FindMany(int count) => string.Join(" UNION ALL ", Enumerable.Range(0, count).Select(n => string.Create(CultureInfo.InvariantCulture,
            $"SELECT {n} AS k, target_id FROM xref WHERE system = @s{n} AND object_type = @t{n} AND source_id = @i{n}")));

    public static string Save(SqlDialect dialect) => dialect.Upsert("xref",
        ["system", "object_type", "source_id", "target_id", "updated_at"], ["@System", "@ObjectType", "@SourceId", "@TargetId", "@Now"],
        ["system", "object_type", "source_id"], ["target_id", "updated_at"]);
}
