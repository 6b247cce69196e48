using System.Text.Json;
using FieldOps.Jsonata.Runtime;

namespace FieldOps.Jsonata;

/// <summary>
/// Variables for many evaluations (lookup tables, settings), converted into the engine's value model once. Passing
/// an <c>IReadOnlyDictionary&lt;string, JsonElement&gt;</c> instead converts every binding on every evaluation; a
/// mapping that evaluates one expression per field pays that again and again. Immutable: evaluation never modifies a
/// bound value, so one instance may be shared by every thread.
/// </summary>
public sealed class JsonataBindings
{
    private readonly Dictionary<string, object?> _decimal;
    private Dictionary<string, object?>? _double;

    private JsonataBindings(Dictionary<string, object?> values)
    {
        _decimal = values;
    }

    /// <summary>No variables.</summary>
    public static JsonataBindings Empty { get; } = new(new Dictionary<string, object?>(StringComparer.Ordinal));

    /// <summary>How many variables are bound.</summary>
    public int Count => _decimal.Count;

    /// <summary>The variables of <paramref name="values"/>, by name with or without a leading <c>$</c>.</summary>
    public static JsonataBindings From(IReadOnlyDictionary<string, JsonElement> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var converted = new Dictionary<string, object?>(values.Count, StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            converted[name.TrimStart('$')] = Json.FromElement(value, NumberMode.Decimal);
        }

        return new JsonataBindings(converted);
    }

    /// <summary>These variables and <paramref name="name"/> (replaced when bound already); this instance is unchanged.</summary>
    public JsonataBindings With(string name, JsonataValueOrUndefined value)
    {
        ArgumentNullException.ThrowIfNull(name);
        return new JsonataBindings(new Dictionary<string, object?>(_decimal, StringComparer.Ordinal) { [name.TrimStart('$')] = value.Raw });
    }

    /// <summary>These variables and <paramref name="name"/> (replaced when bound already); this instance is unchanged.</summary>
    public JsonataBindings With(string name, JsonElement value) => With(name, JsonataValueOrUndefined.FromJson(value));

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
                converted[name] = JsonataFunctionRegistry.Normalize(value, mode);
            }

            Interlocked.CompareExchange(ref _double, converted, null);
        }

        return _double;
    }
}
