using System.Text.RegularExpressions;

namespace FieldOps.Integration.Core.Operations;

/// <summary>Where an operation came from in its mapping file: the operation's line and each field's line.</summary>
/// <param name="File">The mapping file.</param>
/// <param name="OperationLine">The line of the operation's <c>- key:</c>, if found.</param>
/// <param name="Fields">Each field under <c>fields:</c>, with its line; those the target's words name come first.</param>
public sealed record MappingOrigin(string File, int? OperationLine, IReadOnlyList<MappingFieldOrigin> Fields);

/// <summary>One field of an operation in its mapping file.</summary>
/// <param name="Field">The field name.</param>
/// <param name="Line">Its line (1-based).</param>
/// <param name="NamedByTarget">True when the target's error text names this field: the first place to look.</param>
public sealed record MappingFieldOrigin(string Field, int Line, bool NamedByTarget);

/// <summary>Finds an operation and its fields in the mapping file it came from, so a dead letter points at the line to fix.</summary>
public static partial class MappingOriginLocator
{
    /// <summary>The origin of <paramref name="row"/>, or null when its file cannot be read or does not hold the operation.</summary>
    public static MappingOrigin? Locate(OperationRow row, string? mappingsRoot)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.SourceFile is not { Length: > 0 } file)
            return null;
        var path = File.Exists(file) || mappingsRoot is null ? file : Path.Combine(mappingsRoot, file);
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
        var key = row.OperationKey.Split(':')[0];
        var start = Array.FindIndex(lines, l => OperationKey().Match(l) is { Success: true } m && m.Groups[1].Value == key);
        if (start < 0)
            return new MappingOrigin(file, null, []);
        var words = $"{row.DeadReason} {row.LastError}";
        var fields = new List<MappingFieldOrigin>();
        var fieldsIndent = -1;
        var childIndent = -1;
        for (var i = start + 1; i < lines.Length && !OperationKey().IsMatch(lines[i]); i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart().Length;
            if (lines[i].TrimStart().StartsWith("fields:", StringComparison.Ordinal))
            {
                fieldsIndent = indent;
                childIndent = -1;
                continue;
            }
            if (fieldsIndent < 0 || lines[i].Trim().Length == 0 || lines[i].TrimStart().StartsWith('#'))
                continue;
            if (indent <= fieldsIndent)
            {
                fieldsIndent = -1;
                continue;
            }
            if (childIndent < 0)
                childIndent = indent;
            if (indent == childIndent && FieldName().Match(lines[i]) is { Success: true } field)
            {
                var name = field.Groups[1].Value;
                var named = Regex.IsMatch(words, $@"\b{Regex.Escape(name)}\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
                fields.Add(new MappingFieldOrigin(name, i + 1, named));
            }
        }
        return new MappingOrigin(file, start + 1, [.. fields.OrderByDescending(f => f.NamedByTarget).ThenBy(f => f.Line)]);
    }

    [GeneratedRegex("""^\s*-\s*key:\s*["']?([^"'#\s]+)["']?\s*(#.*)?$""")]
    private static partial Regex OperationKey();

    [GeneratedRegex("""^\s*["']?([A-Za-z_][\w.\-]*)["']?\s*:""")]
    private static partial Regex FieldName();
}
