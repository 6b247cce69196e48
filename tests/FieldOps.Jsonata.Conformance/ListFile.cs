namespace FieldOps.Jsonata.Conformance;

/// <summary>Reads <c>baseline.txt</c> / <c>decimal-differences.txt</c>: <c>id  reason</c> per line, <c>#</c> comments.</summary>
public static class ListFile
{
    public static IReadOnlyDictionary<string, string> Read(string fileName)
    {
        var path = Path.Combine(AppContext.BaseDirectory, fileName);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return result;
        }

        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal) || line.StartsWith("# ", StringComparison.Ordinal))
            {
                continue;
            }

            var sp = line.IndexOfAny([' ', '\t']);
            var id = sp < 0 ? line : line[..sp];
            result[id] = sp < 0 ? string.Empty : line[sp..].Trim();
        }

        return result;
    }
}
