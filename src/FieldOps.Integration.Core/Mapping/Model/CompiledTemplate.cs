using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Mapping.Loading;
using FieldOps.Jsonata;

namespace FieldOps.Integration.Core.Mapping.Model;

/// <summary>
/// A part of a mapping file compiled to one JSONata expression: a single expression, or a template (an object whose
/// leaves are expressions) joined into one object constructor so the event is read once per evaluation. Errors are
/// mapped back to the leaf expression and the character in the file.
/// </summary>
internal sealed class CompiledTemplate
{
    private readonly JsonataExpression _expression;
    private readonly ExpressionSegment[] _segments;
    private readonly YamlJsonDocument _document;

    public CompiledTemplate(JsonataExpression expression, ExpressionSegment[] segments, YamlJsonDocument document, string pointer)
    {
        _expression = expression;
        _segments = segments;
        _document = document;
        Pointer = pointer;
    }

    /// <summary>The JSON pointer of this part in its file.</summary>
    public string Pointer { get; }

    /// <summary>
    /// Evaluates against an input converted once (<see cref="JsonataValueOrUndefined.FromJson(JsonNode)"/>) and shared by
    /// every expression of the event; a JSONata error becomes a <see cref="MappingException"/> naming file, line, column and field.
    /// </summary>
    public JsonNode? Evaluate(JsonataValueOrUndefined input, JsonataBindings bindings, EvaluationOptions options, out bool isUndefined)
    {
        var result = EvaluateValue(input, bindings, options);
        isUndefined = result.IsUndefined;
        return result.ToJsonNode();
    }

    /// <summary>As <see cref="Evaluate"/>, the result in the engine's model (for a result that is read by further expressions).</summary>
    public JsonataValueOrUndefined EvaluateValue(JsonataValueOrUndefined input, JsonataBindings bindings, EvaluationOptions options)
    {
        try
        {
            return _expression.Evaluate(input, bindings, options).Value;
        }
        catch (JsonataException ex)
        {
            throw new MappingException(Locate(ex)) { TimeLimitExceeded = ex.TimeLimitExceeded };
        }
    }

    /// <summary>A diagnostic at the file position of <paramref name="ex"/>'s position within this template.</summary>
    public MappingDiagnostic Locate(JsonataException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return Locate(ex.Position, Describe(ex));
    }

    /// <summary>A diagnostic at <paramref name="position"/> (an offset in the composite expression), or at the whole part.</summary>
    public MappingDiagnostic Locate(int position, string message)
    {
        foreach (var segment in _segments)
        {
            if (position >= segment.Start && position <= segment.End)
            {
                var (line, column) = _document.LocateInScalar(segment.Pointer, position - segment.Start);
                return new MappingDiagnostic(_document.File, line, column, YamlJsonDocument.FieldName(segment.Pointer), message);
            }
        }
        var single = _segments.Length == 1 ? _segments[0].Pointer : Pointer;
        return _document.Diagnostic(single, message);
    }

    /// <summary>A diagnostic at the leaf <paramref name="pointer"/>.</summary>
    public MappingDiagnostic At(string pointer, string message) => _document.Diagnostic(pointer, message);

    public static string Describe(JsonataException ex) =>
        ex.Token is null ? $"JSONata {ex.Code}: {ex.Message}" : $"JSONata {ex.Code}: {ex.Message} (at '{ex.Token}')";
}
