namespace FieldOps.Integration.Core.Mapping.TargetSchemas;

/// <summary>The vendor spec files embedded in this assembly (<c>Mapping/TargetSchemas/Specs</c>, logical names <c>targets/…</c>).</summary>
internal static class EmbeddedSpecs
{
    public static Stream Open(string path) =>
        typeof(EmbeddedSpecs).Assembly.GetManifestResourceStream("targets/" + path)
        ?? throw new InvalidOperationException($"The embedded target schema 'targets/{path}' is missing from the build.");
}
