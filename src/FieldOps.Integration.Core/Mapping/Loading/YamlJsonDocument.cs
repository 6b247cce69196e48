using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace FieldOps.Integration.Core.Mapping.Loading;

/// <summary>
/// A YAML mapping file read as JSON, keeping every node's YAML node (and so its line and column) by JSON pointer.
/// </summary>
internal sealed class YamlJsonDocument
{
    private readonly Dictionary<string, YamlNode> _nodes;
    private readonly Dictionary<string, YamlNode> _keys;
    private readonly LineIndex _lines;

    public YamlJsonDocument(string file, string text, JsonNode? root, Dictionary<string, YamlNode> nodes, Dictionary<string, YamlNode> keys)
    {
        _keys = keys;
        File = file;
        Text = text;
        Root = root;
        _nodes = nodes;
        _lines = new LineIndex(text);
    }

    /// <summary>The file name used in diagnostics.</summary>
    public string File { get; }

    public string Text { get; }

    public JsonNode? Root { get; }

    /// <summary>The YAML node at <paramref name="pointer"/>, or null.</summary>
    public YamlNode? NodeAt(string pointer) => _nodes.GetValueOrDefault(pointer);

    /// <summary>Line and column of the node at <paramref name="pointer"/>, or of its nearest existing ancestor.</summary>
    public (int Line, int Column) Locate(string pointer)
    {
        var current = pointer;
        while (true)
        {
            if (_nodes.TryGetValue(current, out var node))
                return ((int)node.Start.Line, (int)node.Start.Column);
            if (current.Length == 0)
                return (1, 1);
            current = current[..current.LastIndexOf('/')];
        }
    }

    /// <summary>Line and column of character <paramref name="offset"/> of the string scalar at <paramref name="pointer"/>.</summary>
    public (int Line, int Column) LocateInScalar(string pointer, int offset)
    {
        if (_nodes.GetValueOrDefault(pointer) is not YamlScalarNode scalar || scalar.Value is null)
            return Locate(pointer);
        var map = ScalarSourceMap.Build(Text, (int)scalar.Start.Index, scalar.Style, scalar.Value);
        var index = map[Math.Clamp(offset, 0, map.Length - 1)];
        return _lines.Locate(index);
    }

    /// <summary>A diagnostic at the node at <paramref name="pointer"/>.</summary>
    public MappingDiagnostic Diagnostic(string pointer, string message)
    {
        var (line, column) = Locate(pointer);
        return new MappingDiagnostic(File, line, column, FieldName(pointer), message);
    }

    /// <summary>A diagnostic at character <paramref name="offset"/> of the expression at <paramref name="pointer"/>.</summary>
    public MappingDiagnostic LocateInScalarDiagnostic(string pointer, int offset, string message)
    {
        var (line, column) = LocateInScalar(pointer, offset);
        return new MappingDiagnostic(File, line, column, FieldName(pointer), message);
    }

    /// <summary>A diagnostic at the key of the property at <paramref name="pointer"/> (e.g. an unknown property).</summary>
    public MappingDiagnostic KeyDiagnostic(string pointer, string message)
    {
        if (!_keys.TryGetValue(pointer, out var key))
            return Diagnostic(pointer, message);
        return new MappingDiagnostic(File, (int)key.Start.Line, (int)key.Start.Column, FieldName(pointer), message);
    }

    /// <summary>A JSON pointer as an admin reads it: <c>/operations/0/fields/Amount</c> → <c>operations[0].fields.Amount</c>.</summary>
    public static string? FieldName(string pointer)
    {
        if (pointer.Length == 0)
            return null;
        var builder = new StringBuilder();
        foreach (var raw in pointer[1..].Split('/'))
        {
            var part = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                builder.Append(CultureInfo.InvariantCulture, $"[{index}]");
            else
                builder.Append(builder.Length == 0 ? "" : ".").Append(part);
        }
        return builder.ToString();
    }

    /// <summary>Appends a property name to a JSON pointer, escaping as RFC 6901 says.</summary>
    public static string Child(string pointer, string name) =>
        pointer + "/" + name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    /// <summary>Appends an array index to a JSON pointer.</summary>
    public static string Child(string pointer, int index) => pointer + "/" + index.ToString(CultureInfo.InvariantCulture);
}
