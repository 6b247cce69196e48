using System.Text.Json;
using System.Text.Json.Nodes;
using FieldOps.Jsonata.Runtime;

namespace FieldOps.Jsonata;

/// <summary>The result of an evaluation: a JSON value or <em>undefined</em> (no result, distinct from JSON <c>null</c>).</summary>
public readonly struct JsonataResult : IEquatable<JsonataResult>
{
    private readonly object? _value;

    internal JsonataResult(object? value)
    {
        _value = value;
    }

    /// <summary>True when the expression produced no value (JSONata's <c>undefined</c>).</summary>
    public bool IsUndefined => _value is null;

    /// <summary>The result as a host-function style value (undefined-aware).</summary>
    public JsonataValueOrUndefined Value => new(_value);

    /// <summary>Writes the result as JSON.</summary>
    /// <exception cref="InvalidOperationException">The result is undefined.</exception>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (_value is null)
        {
            throw new InvalidOperationException("The JSONata result is undefined and cannot be written as JSON.");
        }

        Json.Write(writer, _value);
    }

    /// <summary>Converts the result to a JSON node. Both undefined and JSON <c>null</c> give <c>null</c>; check <see cref="IsUndefined"/> to tell them apart.</summary>
    public JsonNode? ToJsonNode() => Json.ToNode(_value);

    /// <summary>Compact JSON text, numbers formatted like JavaScript's <c>JSON.stringify</c>.</summary>
    /// <exception cref="InvalidOperationException">The result is undefined.</exception>
    public string ToJsonString()
    {
        if (_value is null)
        {
            throw new InvalidOperationException("The JSONata result is undefined and has no JSON text.");
        }

        return Json.Serialize(_value);
    }

    /// <summary>Indented JSON text (or "undefined").</summary>
    public override string ToString() => _value is null ? "undefined" : Json.Serialize(_value, indented: true);

    public bool Equals(JsonataResult other) => Builtins.DeepEquals(_value, other._value);

    public override bool Equals(object? obj) => obj is JsonataResult r && Equals(r);

    public override int GetHashCode() => _value is null ? 0 : Json.Serialize(_value).GetHashCode(StringComparison.Ordinal);

    public static bool operator ==(JsonataResult left, JsonataResult right) => left.Equals(right);

    public static bool operator !=(JsonataResult left, JsonataResult right) => !left.Equals(right);
}
