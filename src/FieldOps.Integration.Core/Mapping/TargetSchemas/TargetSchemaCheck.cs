using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Mapping.Loading;
using FieldOps.Integration.Core.Text;

namespace FieldOps.Integration.Core.Mapping.TargetSchemas;

/// <summary>
/// Checks a flow's operations against their target's own schema: every field written exists (else an error naming the
/// nearest valid names), a literal has the field's type and a valid picklist value (else an error), a computed value of
/// another kind is a warning (e.g. a string expression into a decimal), and a create produces the required fields.
/// A field the operation lists under <c>knownUnknownFields</c> (created in the target later) is a warning, not an error.
/// </summary>
internal sealed class TargetSchemaCheck
{
    private const int ListedValues = 12;
    private readonly YamlJsonDocument _document;
    private readonly List<MappingDiagnostic> _diagnostics;
    private readonly SourcePaths? _paths;

    // The operation being checked: whether it creates (required fields checked) and what its connector fills in itself.
    private bool _creates;
    private IReadOnlySet<string> _supplied = new HashSet<string>();

    private TargetSchemaCheck(YamlJsonDocument document, List<MappingDiagnostic> diagnostics, SourcePaths? paths)
    {
        _document = document;
        _diagnostics = diagnostics;
        _paths = paths;
    }

    /// <summary>Checks every operation of the flow <paramref name="root"/> whose connector has a schema in <paramref name="schemas"/>.</summary>
    public static void Check(YamlJsonDocument document, JsonObject root, TargetSchemaSet schemas, List<MappingDiagnostic> diagnostics)
    {
        if (root["operations"] is not JsonArray operations)
            return;
        var check = new TargetSchemaCheck(document, diagnostics, SourcePaths.ForFlow(root));
        for (var i = 0; i < operations.Count; i++)
        {
            if (operations[i] is JsonObject op && schemas.For(Text(op, "connector")) is { } schema)
                check.Operation(schema, op, YamlJsonDocument.Child("/operations", i));
        }
    }

    private void Operation(ITargetSchema schema, JsonObject op, string pointer)
    {
        var operation = Text(op, "operation");
        var objectType = Text(op, "objectType");
        var fields = op["fields"] as JsonObject;
        var knownUnknown = (op["knownUnknownFields"] as JsonArray)?.Select(n => n?.GetValue<string>()).OfType<string>().ToHashSet(StringComparer.Ordinal) ?? [];
        if (schema.Find(operation, objectType) is not { } target)
        {
            if (fields is not null && schema.Covers(operation))
            {
                _diagnostics.Add(_document.Diagnostic(pointer + "/objectType",
                    $"{schema.Describe} has no object '{objectType}' for '{operation}'{Nearest(objectType, schema.ObjectNames)}"));
            }
            return;
        }
        var fieldsPointer = pointer + "/fields";
        if (schema.KeyParameter(operation) is { } keyParameter)
            Key(schema.Describe, target, op["params"]?[keyParameter], YamlJsonDocument.Child(pointer + "/params", keyParameter), keyParameter);
        _creates = schema.Creates(operation);
        _supplied = schema.SuppliedByConnector(operation, objectType);
        if (fields is null)
        {
            if (_creates)
                Required(schema.Describe, target, [], pointer, "");
            return;
        }
        Object(schema.Describe, target, fields, fieldsPointer, "", knownUnknown);
    }

    /// <summary>
    /// The fields of a YAML map written into <paramref name="target"/>. <paramref name="path"/> is where it is in the
    /// operation's fields (<c>""</c>, <c>CustomerRef</c>, <c>Line[].SalesItemLineDetail</c>), to match what the connector supplies.
    /// </summary>
    private void Object(string system, TargetObject target, JsonObject values, string pointer, string path, IReadOnlySet<string> knownUnknown)
    {
        foreach (var (name, value) in values)
        {
            var fieldPointer = YamlJsonDocument.Child(pointer, name);
            if (!target.Fields.TryGetValue(name, out var field))
            {
                Unknown(system, target, name, knownUnknown, d => _document.KeyDiagnostic(fieldPointer, d));
                continue;
            }
            if (!field.Writable)
            {
                _diagnostics.Add(_document.KeyDiagnostic(fieldPointer, $"{system} {target.Name}.{name} is read-only ({target.Source})"));
                continue;
            }
            Value(system, target, field, value, fieldPointer, Join(path, name));
        }
        if (_creates)
            Required(system, target, values.Select(v => v.Key), pointer, path);
    }

    /// <summary>The field an upsert is keyed by (<c>params.externalIdField</c>, <c>params.idProperty</c>), when written as a literal.</summary>
    private void Key(string system, TargetObject target, JsonNode? value, string pointer, string parameter)
    {
        if (value is not JsonValue scalar || scalar.GetValueKind() != JsonValueKind.String
            || ExpressionShape.Of(scalar.GetValue<string>()) is not [{ Literal: true, Kind: ValueKind.String, Text: { } name } shape])
            return;
        MappingDiagnostic At(string message) => _document.LocateInScalarDiagnostic(pointer, shape.Offset, message);
        if (!target.Fields.TryGetValue(name, out var field))
            _diagnostics.Add(At($"{parameter} '{name}' is not a field of {system} {target.Name} ({target.Source}){Nearest(name, target.Fields.Values.Where(f => f.IsKey).Select(f => f.Name))}"));
        else if (!field.IsKey)
            _diagnostics.Add(At($"{parameter} '{name}' cannot key an upsert: {system} {target.Name}.{name} is not an external id / unique-value field; key fields: {string.Join(", ", target.Fields.Values.Where(f => f.IsKey).Select(f => f.Name))}"));
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    private void Unknown(string system, TargetObject target, string name, IReadOnlySet<string> knownUnknown, Func<string, MappingDiagnostic> at)
    {
        if (knownUnknown.Contains(name))
        {
            _diagnostics.Add(at($"'{name}' is not (yet) a field of {system} {target.Name}; accepted because the operation lists it in knownUnknownFields").AsWarning());
            return;
        }
        _diagnostics.Add(at($"unknown field '{name}' of {system} {target.Name} ({target.Source}){Nearest(name, target.Fields.Keys)}"));
    }

    private void Required(string system, TargetObject target, IEnumerable<string> present, string pointer, string path)
    {
        var missing = Missing(target, present, path);
        if (missing.Count > 0)
            _diagnostics.Add(_document.KeyDiagnostic(pointer, $"{system} {target.Name} requires {string.Join(", ", missing.Select(m => $"'{m}'"))}, which this operation does not produce ({target.Source})"));
    }

    private void Value(string system, TargetObject target, TargetField field, JsonNode? value, string pointer, string path)
    {
        var what = $"{system} {target.Name}.{field.Name}";
        switch (value)
        {
            case JsonObject map:
                if (field.Kind is TargetFieldKind.Object or TargetFieldKind.Array or TargetFieldKind.Any)
                {
                    if (field.Children?.Invoke() is { } children)
                        Object(system, children, map, pointer, field.Kind == TargetFieldKind.Array ? path + "[]" : path, new HashSet<string>());
                }
                else
                {
                    _diagnostics.Add(_document.Diagnostic(pointer, $"{what} is {Describe(field)}, not an object"));
                }
                return;
            case JsonArray list:
                if (field.Kind is not (TargetFieldKind.Array or TargetFieldKind.Any))
                {
                    _diagnostics.Add(_document.Diagnostic(pointer, $"{what} is {Describe(field)}, not a list"));
                    return;
                }
                for (var i = 0; i < list.Count; i++)
                    Value(system, target, Item(field), list[i], YamlJsonDocument.Child(pointer, i), path + "[]");
                return;
            case JsonValue scalar when scalar.GetValueKind() == JsonValueKind.String:
                foreach (var shape in ExpressionShape.Of(scalar.GetValue<string>(), 0, _paths))
                    Shape(system, field, shape, pointer, what, path);
                return;
            case JsonValue scalar:
                var kind = scalar.GetValueKind() switch
                {
                    JsonValueKind.Number => scalar.ToJsonString().Contains('.', StringComparison.Ordinal) ? ValueKind.Number : ValueKind.Integer,
                    JsonValueKind.True or JsonValueKind.False => ValueKind.Boolean,
                    _ => ValueKind.Null,
                };
                Shape(system, field, new ValueShape(kind, true, scalar.ToJsonString(), 0), pointer, what, path);
                return;
        }
    }

    private void Shape(string system, TargetField field, ValueShape shape, string pointer, string what, string path)
    {
        MappingDiagnostic At(string message) => _document.LocateInScalarDiagnostic(pointer, shape.Offset, message);
        if (shape.Kind == ValueKind.Null || field.Kind == TargetFieldKind.Any)
            return;
        if (!Compatible(field.Kind, shape.Kind))
        {
            var written = shape.Literal ? $"the literal {Quote(shape)}" : shape.Certain ? $"an {Name(shape.Kind)} constructor"
                : shape.Source ?? $"{(Name(shape.Kind)[0] is 'a' or 'i' or 'o' ? "an" : "a")} {Name(shape.Kind)} expression";
            var message = $"{what} is {Describe(field)}; {written} does not fit";
            _diagnostics.Add(shape.Certain ? At(message) : At(message + " unless it evaluates to one (checked at run time)").AsWarning());
            return;
        }
        if (shape.Literal && shape.Kind == ValueKind.Number && field.Kind == TargetFieldKind.Integer)
        {
            _diagnostics.Add(At($"{what} is {Describe(field)}; the literal {shape.Text} is not a whole number"));
            return;
        }
        if (shape.Literal && shape.Text is { } text)
        {
            if (field.AllowedValues.Count > 0 && !field.AllowedValues.Contains(text, StringComparer.Ordinal))
            {
                var shown = string.Join(", ", field.AllowedValues.Take(ListedValues)) + (field.AllowedValues.Count > ListedValues ? ", …" : "");
                var invalid = At($"'{text}' is not a valid value of {what}{NearestName.Hint(text, field.AllowedValues)}; allowed: {shown}");
                _diagnostics.Add(field.StrictValues ? invalid : invalid.AsWarning());
            }
            else if (field.Kind == TargetFieldKind.Date && !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                _diagnostics.Add(At($"{what} is {Describe(field)}; '{text}' is not a date (YYYY-MM-DD)"));
            }
            else if (field.Kind == TargetFieldKind.DateTime && !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                _diagnostics.Add(At($"{what} is {Describe(field)}; '{text}' is not a date and time (ISO 8601)"));
            }
        }
        if (shape.Items is { } items && field.Kind == TargetFieldKind.Array)
        {
            foreach (var item in items)
                Shape(system, Item(field), item, pointer, what + "[]", path + "[]");
            return;
        }
        if (shape.Members is { } members && field.Children?.Invoke() is { } children)
        {
            foreach (var (key, keyOffset, member, memberOffset) in members)
            {
                if (!children.Fields.TryGetValue(key, out var child))
                {
                    Unknown(system, children, key, new HashSet<string>(), m => _document.LocateInScalarDiagnostic(pointer, keyOffset, m));
                    continue;
                }
                foreach (var inner in ExpressionShape.Of(member, memberOffset, shape.MemberPaths))
                    Shape(system, child, inner, pointer, $"{system} {children.Name}.{key}", Join(path, key));
            }
            if (_creates)
                RequiredMembers(system, children, members.Select(m => m.Key), pointer, shape.Offset, path);
        }
    }

    /// <summary>What one item of a list field holds: an object of the field's children, or (for a list of scalars) anything.</summary>
    private static TargetField Item(TargetField field) =>
        field.Kind == TargetFieldKind.Array ? field with { Kind = field.Children is null ? TargetFieldKind.Any : TargetFieldKind.Object } : field;

    private void RequiredMembers(string system, TargetObject target, IEnumerable<string> present, string pointer, int offset, string path)
    {
        var missing = Missing(target, present, path);
        if (missing.Count > 0)
            _diagnostics.Add(_document.LocateInScalarDiagnostic(pointer, offset, $"{system} {target.Name} requires {string.Join(", ", missing.Select(m => $"'{m}'"))}, which this object does not produce ({target.Source})"));
    }

    /// <summary>The required fields of <paramref name="target"/> (at <paramref name="path"/>) neither written nor supplied by the connector.</summary>
    private List<string> Missing(TargetObject target, IEnumerable<string> present, string path)
    {
        var have = present.ToHashSet(StringComparer.Ordinal);
        return target.Fields.Values.Where(f => f.Required && f.Writable && !have.Contains(f.Name) && !_supplied.Contains(Join(path, f.Name)))
            .Select(f => f.Name).ToList();
    }

    private static bool Compatible(TargetFieldKind target, ValueKind value) => target switch
    {
        TargetFieldKind.String or TargetFieldKind.Date or TargetFieldKind.DateTime => value == ValueKind.String,
        TargetFieldKind.Number => value is ValueKind.Number or ValueKind.Integer,
        TargetFieldKind.Integer => value is ValueKind.Integer or ValueKind.Number,
        TargetFieldKind.Boolean => value == ValueKind.Boolean,
        TargetFieldKind.Object => value == ValueKind.Object,
        TargetFieldKind.Array => value is ValueKind.Array or ValueKind.Object,
        _ => true,
    };

    private static string Describe(TargetField field) => field.Kind switch
    {
        TargetFieldKind.Number => $"a decimal ({field.Type})",
        TargetFieldKind.Integer => $"an integer ({field.Type})",
        TargetFieldKind.Boolean => $"a boolean ({field.Type})",
        TargetFieldKind.Date => $"a date ({field.Type})",
        TargetFieldKind.DateTime => $"a date-time ({field.Type})",
        TargetFieldKind.Object => $"an object ({field.Type})",
        TargetFieldKind.Array => $"a list ({field.Type})",
        _ => $"a string ({field.Type})",
    };

    private static string Name(ValueKind kind) => kind switch
    {
        ValueKind.Integer => "integer",
        ValueKind.Number => "number",
        ValueKind.Boolean => "boolean",
        ValueKind.Object => "object",
        ValueKind.Array => "array",
        _ => "string",
    };

    private static string Quote(ValueShape shape) => shape.Kind == ValueKind.String ? $"'{shape.Text}'" : shape.Text ?? "";

    /// <summary>"; nearest valid names: a, b, c" (the closest by edit distance), or nothing.</summary>
    internal static string Nearest(string typed, IEnumerable<string> candidates)
    {
        var near = NearestName.Closest(typed, candidates, 3);
        return near.Count == 0 ? "" : $" (did you mean '{near[0]}'?{(near.Count > 1 ? $" nearest valid names: {string.Join(", ", near)}" : "")})";
    }

    private static string Text(JsonObject obj, string name) => obj[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "";
}
