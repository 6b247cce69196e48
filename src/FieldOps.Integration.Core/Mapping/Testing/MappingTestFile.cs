using System.Text.Json;
using System.Text.Json.Nodes;

namespace FieldOps.Integration.Core.Mapping.Testing;

/// <summary>Rewrites the <c>expect:</c> block of a mapping test file, leaving the rest of the file (and its comments) as it was.</summary>
public static class MappingTestFile
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Replaces the top-level <c>expect:</c> block (up to the next top-level key) with <paramref name="expect"/> as indented JSON.</summary>
    public static void RewriteExpect(string file, JsonArray expect)
    {
        ArgumentNullException.ThrowIfNull(expect);
        var lines = File.ReadAllLines(file).ToList();
        var start = lines.FindIndex(l => l.StartsWith("expect:", StringComparison.Ordinal));
        if (start < 0)
            throw new InvalidOperationException($"{file}: no top-level 'expect:' to rewrite.");
        var end = start + 1;
        while (end < lines.Count && !IsTopLevelKey(lines[end]))
            end++;
        // Comments just above the next key belong to it.
        while (end - 1 > start && lines[end - 1].TrimStart().StartsWith('#'))
            end--;
        var json = expect.ToJsonString(Indented).Split('\n').Select(l => "  " + l.TrimEnd('\r'));
        lines.RemoveRange(start, end - start);
        lines.InsertRange(start, ["expect:", .. json]);
        File.WriteAllLines(file, lines);
    }

    private static bool IsTopLevelKey(string line) =>
        line.Length > 0 && !char.IsWhiteSpace(line[0]) && line[0] != '#' && line[0] != ']' && line[0] != '}' && line.Contains(':', StringComparison.Ordinal);
}
