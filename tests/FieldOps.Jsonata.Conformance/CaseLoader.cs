using System.Text.Json;

namespace FieldOps.Jsonata.Conformance;

/// <summary>Loads cases from <c>groups/&lt;group&gt;/*.json</c>, resolving datasets.</summary>
public static class CaseLoader
{
    private static readonly Lock CacheLock = new();
    private static readonly Dictionary<string, IReadOnlyList<ConformanceCase>> Cache = [];

    public static IReadOnlyList<ConformanceCase> Load(string suiteDir)
    {
        lock (CacheLock)
        {
            if (!Cache.TryGetValue(suiteDir, out var cases))
            {
                cases = LoadUncached(suiteDir);
                Cache[suiteDir] = cases;
            }

            return cases;
        }
    }

    private static List<ConformanceCase> LoadUncached(string suiteDir)
    {
        var datasets = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var dsDir = Path.Combine(suiteDir, "datasets");
        if (Directory.Exists(dsDir))
        {
            foreach (var f in Directory.GetFiles(dsDir, "*.json"))
            {
                datasets[Path.GetFileNameWithoutExtension(f)] = JsonDocument.Parse(File.ReadAllText(f)).RootElement.Clone();
            }
        }

        var result = new List<ConformanceCase>();
        foreach (var groupDir in Directory.GetDirectories(Path.Combine(suiteDir, "groups")).Order(StringComparer.Ordinal))
        {
            var group = Path.GetFileName(groupDir);
            foreach (var file in Directory.GetFiles(groupDir, "*.json").Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileNameWithoutExtension(file);
                var root = JsonDocument.Parse(File.ReadAllText(file)).RootElement.Clone();
                if (root.ValueKind == JsonValueKind.Array)
                {
                    var i = 0;
                    foreach (var c in root.EnumerateArray())
                    {
                        result.Add(Parse($"{group}/{name}#{i}", group, groupDir, c, datasets));
                        i++;
                    }
                }
                else
                {
                    result.Add(Parse($"{group}/{name}", group, groupDir, root, datasets));
                }
            }
        }

        return result;
    }

    /// <summary>Decodes a raw JSON string literal, tolerating lone surrogates (which JsonElement.GetString rejects).</summary>
    private static string Unescape(string raw)
    {
        var sb = new System.Text.StringBuilder(raw.Length);
        for (var i = 1; i < raw.Length - 1; i++)
        {
            var ch = raw[i];
            if (ch != '\\')
            {
                sb.Append(ch);
                continue;
            }

            var e = raw[++i];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'u':
                    sb.Append((char)Convert.ToInt32(raw.Substring(i + 1, 4), 16));
                    i += 4;
                    break;
                default: sb.Append(e); break;
            }
        }

        return sb.ToString();
    }

    private static string? ReadExprFile(string groupDir, string file)
    {
        var path = Path.Combine(groupDir, file);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    private static ConformanceCase Parse(string id, string group, string groupDir, JsonElement c, Dictionary<string, JsonElement> datasets)
    {
        JsonElement? input = null;
        if (c.TryGetProperty("data", out var data))
        {
            input = data;
        }
        else if (c.TryGetProperty("dataset", out var ds) && ds.ValueKind == JsonValueKind.String)
        {
            input = datasets[ds.GetString()!];
        }

        var bindings = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (c.TryGetProperty("bindings", out var b) && b.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in b.EnumerateObject())
            {
                bindings[p.Name] = p.Value;
            }
        }

        return new ConformanceCase
        {
            Id = id,
            Group = group,
            Expr = c.TryGetProperty("expr", out var e) ? Unescape(e.GetRawText()) : ReadExprFile(groupDir, c.GetProperty("expr-file").GetString()!),
            Input = input,
            Bindings = bindings,
            TimeLimitMs = c.TryGetProperty("timelimit", out var tl) && tl.ValueKind == JsonValueKind.Number ? tl.GetInt32() : null,
            Depth = c.TryGetProperty("depth", out var d) && d.ValueKind == JsonValueKind.Number ? d.GetInt32() : null,
            Result = c.TryGetProperty("result", out var r) ? r : null,
            UndefinedResult = c.TryGetProperty("undefinedResult", out var u) && u.ValueKind == JsonValueKind.True,
            Code = c.TryGetProperty("code", out var code) ? code.GetString() : c.TryGetProperty("error", out var err) && err.TryGetProperty("code", out var ec) ? ec.GetString() : null,
            Token = c.TryGetProperty("token", out var tok) && tok.ValueKind == JsonValueKind.String ? tok.GetString()
                : c.TryGetProperty("error", out var err2) && err2.TryGetProperty("token", out var et) ? et.GetString() : null,
        };
    }
}
