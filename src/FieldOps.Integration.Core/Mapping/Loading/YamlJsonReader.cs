using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FieldOps.Integration.Core.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace FieldOps.Integration.Core.Mapping.Loading;

/// <summary>
/// Reads one YAML document with YamlDotNet's representation model into JSON, recording each node's position.
/// Plain scalars become null, booleans and numbers where YAML's core schema says so; quoted and block scalars stay strings.
/// </summary>
internal static partial class YamlJsonReader
{
    /// <summary>Reads <paramref name="text"/>; throws <see cref="MappingException"/> with the YAML error's line and column.</summary>
    public static YamlJsonDocument Read(string file, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new MappingException(new MappingDiagnostic(file, (int)ex.Start.Line, (int)ex.Start.Column, null, "YAML: " + StripMark(ex.Message)));
        }
        if (stream.Documents.Count == 0)
            throw new MappingException(new MappingDiagnostic(file, 1, 1, null, "the file is empty"));
        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode.Start;
            throw new MappingException(new MappingDiagnostic(file, (int)second.Line, (int)second.Column, null, "one mapping per file: a second YAML document starts here"));
        }
        var nodes = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        var keys = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        var root = Convert(stream.Documents[0].RootNode, "", nodes, keys);
        var document = new YamlJsonDocument(file, text, root, nodes, keys);
        var unfit = Unfit(nodes) is { } value ? document.Diagnostic(value, UnfitMessage(nodes[value]))
            : Unfit(keys) is { } key ? document.KeyDiagnostic(key, UnfitMessage(keys[key]))
            : null;
        return unfit is null ? document : throw new MappingException(unfit with { Field = StorableText.Escape(unfit.Field) });
    }

    // A NUL character (a YAML "\0" or "\x00" escape) in a name, object type or key the router writes as text would fail
    // every event of the flow on PostgreSQL, whose text cannot hold one: refused when the file loads, naming where. (Half a
    // surrogate pair, which Npgsql refuses too, is refused by YamlDotNet's scanner already, as an escape that names none.)
    private static string UnfitMessage(YamlNode node) =>
        $"holds {StorableText.What(((YamlScalarNode)node).Value!)}, which the store cannot keep as text; remove it";

    private static string? Unfit(Dictionary<string, YamlNode> nodes) => nodes
        .Where(n => n.Value is YamlScalarNode { Value: var value } && StorableText.Unfit(value))
        .OrderBy(n => n.Value.Start.Index)
        .Select(n => n.Key)
        .FirstOrDefault();

    private static JsonNode? Convert(YamlNode node, string pointer, Dictionary<string, YamlNode> nodes, Dictionary<string, YamlNode> keys)
    {
        nodes[pointer] = node;
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (keyNode, valueNode) in mapping.Children)
                {
                    var key = keyNode is YamlScalarNode k ? k.Value ?? "" : keyNode.ToString();
                    var child = YamlJsonDocument.Child(pointer, key);
                    keys[child] = keyNode;
                    obj[key] = Convert(valueNode, child, nodes, keys);
                }
                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                for (var i = 0; i < sequence.Children.Count; i++)
                    array.Add(Convert(sequence.Children[i], YamlJsonDocument.Child(pointer, i), nodes, keys));
                return array;
            case YamlScalarNode scalar:
                return ConvertScalar(scalar);
            default:
                return null;
        }
    }

    private static JsonValue? ConvertScalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain || (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific && scalar.Tag.Value == "tag:yaml.org,2002:str"))
            return JsonValue.Create(value);
        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }
        if (NumberPattern().IsMatch(value) && decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            return JsonValue.Create(number);
        return JsonValue.Create(value);
    }

    private static string StripMark(string message) => MarkPrefix().Replace(message, "");

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$")]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex MarkPrefix();
}
