using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Mapping.Loading;
using FieldOps.Jsonata;

namespace FieldOps.Integration.Core.Mapping.Model;

/// <summary>
/// Compiles expressions and templates of one file. Each leaf is compiled on its own first, so a syntax error names
/// its own field and character; every error is collected rather than stopping at the first.
/// </summary>
internal sealed class TemplateCompiler(YamlJsonDocument document, JsonataOptions options, List<MappingDiagnostic> diagnostics)
{
    // A leaf joins several composites (its operation's body and its flow's): report its syntax error once.
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);

    /// <summary>Compiles the string at <paramref name="pointer"/> as one expression; null (with a diagnostic) if it fails.</summary>
    public CompiledTemplate? Expression(string pointer)
    {
        var text = (document.Root is null ? null : Find(pointer))?.GetValue<string>() ?? "";
        return Compile(text, [new ExpressionSegment(0, text.Length, pointer)], pointer);
    }

    /// <summary>Compiles named parts (each a template) into one object constructor.</summary>
    public CompiledTemplate? Object(string pointer, IEnumerable<(string Name, string Pointer)> parts)
    {
        var builder = new StringBuilder("{");
        var segments = new List<ExpressionSegment>();
        var ok = true;
        var first = true;
        foreach (var (name, partPointer) in parts)
        {
            builder.Append(first ? "" : ",").Append(JsonSerializer.Serialize(name)).Append(':');
            first = false;
            ok &= Append(Find(partPointer), partPointer, builder, segments);
        }
        builder.Append('}');
        return ok ? Compile(builder.ToString(), [.. segments], pointer) : null;
    }

    /// <summary>
    /// Compiles a whole flow into one expression, so the event is read once per flow: undefined when the condition
    /// does not select the event, else <c>{"selected": true, "o0": body, "w1": when, …}</c> — <c>o{i}</c> the body of
    /// operation i (absent when its <c>when</c> is false), <c>w{i}</c> the <c>when</c> of a <c>forEach</c> operation.
    /// </summary>
    public CompiledTemplate? Flow(string? conditionPointer, IReadOnlyList<FlowOperationParts> operations)
    {
        var builder = new StringBuilder();
        var segments = new List<ExpressionSegment>();
        var ok = true;
        if (conditionPointer is not null)
        {
            ok &= Append(Find(conditionPointer), conditionPointer, builder, segments);
            builder.Append(" ? ");
        }
        builder.Append("{\"selected\":true");
        foreach (var op in operations)
        {
            if (op.ForEach)
            {
                builder.Append(CultureInfo.InvariantCulture, $",\"w{op.Index}\":");
                if (op.WhenPointer is null)
                    builder.Append("true");
                else
                    ok &= Append(Find(op.WhenPointer), op.WhenPointer, builder, segments);
                continue;
            }
            builder.Append(CultureInfo.InvariantCulture, $",\"o{op.Index}\":");
            if (op.WhenPointer is not null)
            {
                ok &= Append(Find(op.WhenPointer), op.WhenPointer, builder, segments);
                builder.Append(" ? ");
            }
            builder.Append('{');
            var first = true;
            foreach (var (name, partPointer) in op.BodyParts)
            {
                builder.Append(first ? "" : ",").Append(JsonSerializer.Serialize(name)).Append(':');
                first = false;
                ok &= Append(Find(partPointer), partPointer, builder, segments);
            }
            builder.Append('}');
        }
        builder.Append('}');
        return ok ? Compile(builder.ToString(), [.. segments], "") : null;
    }

    private bool Append(JsonNode? node, string pointer, StringBuilder builder, List<ExpressionSegment> segments)
    {
        switch (node)
        {
            case JsonObject obj:
                builder.Append('{');
                var ok = true;
                var first = true;
                foreach (var (name, child) in obj)
                {
                    builder.Append(first ? "" : ",").Append(JsonSerializer.Serialize(name)).Append(':');
                    first = false;
                    ok &= Append(child, YamlJsonDocument.Child(pointer, name), builder, segments);
                }
                builder.Append('}');
                return ok;
            case JsonArray array:
                builder.Append('[');
                var allOk = true;
                for (var i = 0; i < array.Count; i++)
                {
                    builder.Append(i == 0 ? "" : ",");
                    allOk &= Append(array[i], YamlJsonDocument.Child(pointer, i), builder, segments);
                }
                builder.Append(']');
                return allOk;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var text = value.GetValue<string>();
                if (!CheckSyntax(text, pointer))
                    return false;
                builder.Append('(');
                segments.Add(new ExpressionSegment(builder.Length, builder.Length + text.Length, pointer));
                builder.Append(text).Append("\n)");
                return true;
            default:
                builder.Append(node is null ? "null" : node.ToJsonString());
                return true;
        }
    }

    private bool CheckSyntax(string text, string pointer)
    {
        try
        {
            JsonataExpression.Compile(text, options);
        }
        catch (JsonataException ex)
        {
            if (!_reported.Add(pointer))
                return false;
            var (line, column) = document.LocateInScalar(pointer, Math.Max(0, ex.Position));
            diagnostics.Add(new MappingDiagnostic(document.File, line, column, YamlJsonDocument.FieldName(pointer), CompiledTemplate.Describe(ex)));
            return false;
        }
        var ok = true;
        foreach (var (position, message) in FunctionNameCheck.Unknown(text, options.Functions ?? new JsonataFunctionRegistry()))
        {
            var (line, column) = document.LocateInScalar(pointer, position);
            diagnostics.Add(new MappingDiagnostic(document.File, line, column, YamlJsonDocument.FieldName(pointer), message));
            ok = false;
        }
        return ok;
    }

    private CompiledTemplate? Compile(string text, ExpressionSegment[] segments, string pointer)
    {
        try
        {
            return new CompiledTemplate(JsonataExpression.Compile(text, options), segments, document, pointer);
        }
        catch (JsonataException ex)
        {
            var template = new CompiledTemplate(JsonataExpression.Compile("null", options), segments, document, pointer);
            var diagnostic = template.Locate(ex);
            if (_reported.Add(segments.Length == 1 ? segments[0].Pointer : pointer + "#" + diagnostic))
                diagnostics.Add(diagnostic);
            return null;
        }
    }

    private JsonNode? Find(string pointer)
    {
        var node = document.Root;
        if (pointer.Length == 0)
            return node;
        foreach (var raw in pointer[1..].Split('/'))
        {
            var part = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            node = node switch
            {
                JsonObject obj => obj[part],
                JsonArray array when int.TryParse(part, out var i) && i < array.Count => array[i],
                _ => null,
            };
        }
        return node;
    }
}
