using System.Text.Json;
using FieldOps.Jsonata.Runtime;

namespace FieldOps.Jsonata;

/// <summary>
/// Variables for many evaluations (lookup tables, settings), converted into the engine's value model once. Passing
/// an <c>IReadOnlyDictionary&lt;string, JsonElement&gt;</c> instead converts every binding on every evaluation; a
/// mapping that evaluates one expression per field pays that again and again. Immutable: evaluation never modifies a
/// bound value (a transform changes only its own copy), so one instance may be shared by every thread.
/// </summary>
public sealed class JsonataBindings
{
    private readonly Dictionary<string, object?> _decimal;
    private readonly Dictionary<string, JsonElement> _elements; // the JSON given, read again for Double-mode expressions; never modified, so shared
    private Dictionary<string, object?>? _double;

    private JsonataBindings(Dictionary<string, object?> values, Dictionary<string, JsonElement> elements)
    {
        _decimal = values;
        _elements = elements;
    }

    /// <summary>How many variables are bound.</summary>
    public int Count => _decimal.Count;

    /// <summary>The variables of <paramref name="values"/>, by name with or without a leading <c>$</c>.</summary>
    public static JsonataBindings From(IReadOnlyDictionary<string, JsonElement> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var converted = new Dictionary<string, object?>(values.Count, StringComparer.Ordinal);
        var elements = new Dictionary<string, JsonElement>(values.Count, StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            var key = name.TrimStart('$');
            converted[key] = Json.FromElement(value, NumberMode.Decimal);
            elements[key] = value;
        }

        return new JsonataBindings(converted, elements);
    }

    /// <summary>
    /// These variables and <paramref name="name"/> (replaced when bound already) holding <paramref name="value"/> as
    /// JSON carries it (<see cref="JsonataValueOrUndefined.ToJsonValue"/>); this instance is unchanged.
    /// </summary>
    public JsonataBindings With(string name, JsonataValueOrUndefined value)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = name.TrimStart('$');
        var elements = _elements;
        if (elements.ContainsKey(key))
        {
            elements = new Dictionary<string, JsonElement>(elements, StringComparer.Ordinal);
            elements.Remove(key);
        }

        return new JsonataBindings(new Dictionary<string, object?>(_decimal, StringComparer.Ordinal) { [key] = value.IsUndefined ? null : Json.Plain(value.Raw) }, elements);
    }

    /// <summary>These variables and <paramref name="name"/> (replaced when bound already); this instance is unchanged.</summary>
    public JsonataBindings With(string name, JsonElement value)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = name.TrimStart('$');
        return new JsonataBindings(
            new Dictionary<string, object?>(_decimal, StringComparer.Ordinal) { [key] = Json.FromElement(value, NumberMode.Decimal) },
            new Dictionary<string, JsonElement>(_elements, StringComparer.Ordinal) { [key] = value });
    }

    /// <summary>The values as an expression of <paramref name="mode"/> reads them (numbers converted once per mode).</summary>
    internal IReadOnlyDictionary<string, object?> For(NumberMode mode)
    {
        if (mode == NumberMode.Decimal)
        {
            return _decimal;
        }

        if (_double is null)
        {
            var converted = new Dictionary<string, object?>(_decimal.Count, StringComparer.Ordinal);
            foreach (var (name, value) in _decimal)
            {
                // From the JSON text where there is one: a decimal converted to double may round differently.
                converted[name] = _elements.TryGetValue(name, out var element) ? Json.FromElement(element, mode) : JsonataFunctionRegistry.Normalize(value, mode);
            }

            Interlocked.CompareExchange(ref _double, converted, null);
        }

        return _double;
    }
}
