using FieldOps.Integration.Storage.Dialects;

namespace FieldOps.Integration.Storage.CrossReferences;

/// <summary>The <c>xref</c> upsert, shared by the cross-reference store and the dispatcher's write-back.</summary>
internal static class CrossReferenceSql
{
    public static string Save(SqlDialect dialect) => dialect.Upsert("xref",
        ["system", "object_type", "source_id", "target_id", "updated_at"], ["@System", "@ObjectType", "@SourceId", "@TargetId", "@Now"],
        ["system", "object_type", "source_id"], ["target_id", "updated_at"]);
}
