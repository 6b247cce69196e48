namespace FieldOps.Integration.Core.Intake;

/// <summary>
/// Joins dedup key parts with <c>:</c> without ambiguity: every part but the last has <c>\</c> and <c>:</c> escaped
/// (<c>\\</c>, <c>\:</c>), so <c>("a:b", "T")</c> and <c>("a", "b:T")</c> give different keys. The last part is left as
/// written (a Jobber time keeps its colons), which also keeps every key whose other parts hold no <c>:</c> or <c>\</c>
/// exactly as earlier versions wrote it.
/// </summary>
public static class DedupKeyParts
{
    public static string Join(IReadOnlyList<string> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        return string.Join(':', parts.Select((p, i) => i == parts.Count - 1 ? p : Escape(p)));
    }

    private static string Escape(string part) =>
        part.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(":", "\\:", StringComparison.Ordinal);
}
