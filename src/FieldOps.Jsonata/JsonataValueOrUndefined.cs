using System.Text.Json;
using System.Text.Json.Nodes;
using FieldOps.Jsonata.Runtime;

namespace FieldOps.Jsonata;

/// <summary>
/// A JSONata value as seen by host functions: any JSON value, or <em>undefined</em> (no value, distinct from JSON <c>null</c>).
/// Cheap to copy; wraps the engine's internal representation without converting it.
/// </summary>
public readonly struct JsonataValueOrUndefined : IEquatable<JsonataValueOrUndefined>
{
    internal JsonataValueOrUndefined(object? raw)
    {
        Raw = raw;
    }

    /// <summary>The undefined value (a host function returning it yields "no result").</summary>
    public static JsonataValueOrUndefined Undefined => default;

    /// <summary>JSON <c>null</c>.</summary>
    public static JsonataValueOrUndefined Null => new(JNull.Value);

    internal object? Raw { get; }

    /// <summary>True when there is no value.</summary>
    public bool IsUndefined => Raw is null;

    /// <summary>True for JSON <c>null</c>.</summary>
    public bool IsNull => Raw is JNull;

    /// <summary>JSON kind of the value; <see cref="JsonValueKind.Undefined"/> when undefined (functions report <see cref="JsonValueKind.Undefined"/> too).</summary>
    public JsonValueKind Kind => Raw switch
    {
        JNull => JsonValueKind.Null,
        string => JsonValueKind.String,
        double or decimal => JsonValueKind.Number,
        bool b => b ? JsonValueKind.True : JsonValueKind.False,
        JList => JsonValueKind.Array,
        JMap => JsonValueKind.Object,
        _ => JsonValueKind.Undefined,
    };

    /// <summary>A string value; <c>null</c> gives JSON null.</summary>
    public static JsonataValueOrUndefined FromString(string? value) => new(value is null ? JNull.Value : value);

    /// <summary>A number (converted to double when the calling expression runs in <see cref="NumberMode.Double"/>).</summary>
    public static JsonataValueOrUndefined FromNumber(decimal value) => new(value);

    /// <summary>A number (kept exact as decimal when the calling expression runs in <see cref="NumberMode.Decimal"/> and it fits).</summary>
    public static JsonataValueOrUndefined FromNumber(double value) => new(value);

    /// <summary>A boolean value.</summary>
    public static JsonataValueOrUndefined FromBoolean(bool value) => new(Json.Bool(value));

    /// <summary>Wraps a JSON node (<c>null</c> means JSON null). Numbers are kept as decimal when exact.</summary>
    public static JsonataValueOrUndefined FromJson(JsonNode? node) => new(Json.FromNode(node, NumberMode.Decimal));

    /// <summary>Wraps a JSON element.</summary>
    public static JsonataValueOrUndefined FromJson(JsonElement element) => new(Json.FromElement(element, NumberMode.Decimal));

    /// <summary>The string value, or <c>null</c> when this is not a string.</summary>
    public string? AsString() => Raw as string;

    /// <summary>The number as decimal (null when not a number or out of decimal range).</summary>
    public decimal? AsDecimal() => Raw switch
    {
        decimal m => m,
        double d when double.IsFinite(d) && Math.Abs(d) < 7.9e28 => (decimal)d,
        _ => null,
    };

    /// <summary>The number as double (null when not a number).</summary>
    public double? AsDouble() => Raw is double or decimal ? Num.ToDouble(Raw) : null;

    /// <summary>The boolean value (null when not a boolean).</summary>
    public bool? AsBoolean() => Raw as bool?;

    /// <summary>Property of an object value; undefined when absent or not an object.</summary>
    public JsonataValueOrUndefined GetProperty(string name) => Raw is JMap m && m.TryGetValue(name, out var v) ? new(v) : Undefined;

    /// <summary>Items of an array value (a non-array value is a one-item sequence; undefined is empty).</summary>
    public IEnumerable<JsonataValueOrUndefined> EnumerateArray()
    {
        if (Raw is JList l)
        {
            return l.Select(x => new JsonataValueOrUndefined(x));
        }

        return Raw is null ? [] : [this];
    }

    /// <summary>
    /// The value as JSON carries it, as <c>FromJson(value.ToJsonNode())</c> would give it (undefined and null give
    /// <see cref="Null"/>; members that are undefined are left out; numbers decimal where exact) without building a node
    /// tree: for a result that becomes the input of further expressions. Objects and arrays are new ones, as after a
    /// round trip through JSON.
    /// </summary>
    public JsonataValueOrUndefined ToJsonValue() => new(Json.Plain(Raw));

    /// <summary>An object of <paramref name="properties"/> in their order (a later duplicate name replaces the earlier value; an undefined value is left out).</summary>
    public static JsonataValueOrUndefined FromObject(IEnumerable<KeyValuePair<string, JsonataValueOrUndefined>> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var map = new JMap();
        foreach (var (name, value) in properties)
        {
            if (!value.IsUndefined)
            {
                map[name] = value.Raw;
            }
        }

        return new(map);
    }

    /// <summary>Converts to a mutable JSON node; undefined and null both give <c>null</c>.</summary>
    public JsonNode? ToJsonNode() => Json.ToNode(Raw);

    /// <summary>Compact JSON text; "undefined" is rendered as an empty string.</summary>
    public string ToJsonString() => Raw is null ? string.Empty : Json.Serialize(Raw);

    public override string ToString() => ToJsonString();

    public bool Equals(JsonataValueOrUndefined other) => Builtins.DeepEquals(Raw, other.Raw);

    public override bool Equals(object? obj) => obj is JsonataValueOrUndefined o && Equals(o);

    public override int GetHashCode() => Raw is null ? 0 : ToJsonString().GetHashCode(StringComparison.Ordinal);

    public static bool operator ==(JsonataValueOrUndefined left, JsonataValueOrUndefined right) => left.Equals(right);

    public static bool operator !=(JsonataValueOrUndefined left, JsonataValueOrUndefined right) => !left.Equals(right);
}
