namespace FieldOps.Integration.Storage.Migrations;

/// <summary>One versioned schema change: <c>Migrations/{Provider}/NNNN_name.sql</c>, embedded in this assembly.</summary>
/// <param name="Version">The number the file name starts with.</param>
/// <param name="Name">The rest of the file name.</param>
/// <param name="Sql">The statements.</param>
public sealed record Migration(int Version, string Name, string Sql);
