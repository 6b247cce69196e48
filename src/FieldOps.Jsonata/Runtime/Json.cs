using System.Text.Json;
using System.Text.Json.Nodes;

namespace FieldOps.Jsonata.Runtime;

/// <summary>Conversions between System.Text.Json and the internal value model.</summary>
internal static class Json
{
    private static readonly object BoxedTrue = true;
    private static readonly object BoxedFalse = false;

    public static object Bool(bool b) => b ? BoxedTrue : BoxedFalse;

    public static object? FromElement(JsonElement e, NumberMode mode)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                var n = 0;
                foreach (var unused in e.EnumerateObject())
                {
                    n++;
                }

                var m = new JMap(n);
                foreach (var p in e.EnumerateObject())
                {
                    m[p.Name] = FromElement(p.Value, mode);
                }

                return m;
            case JsonValueKind.Array:
                var l = new JList(e.GetArrayLength());
                foreach (var item in e.EnumerateArray())
                {
                    l.Add(FromElement(item, mode));
                }

                return l;
            case JsonValueKind.String:
                return e.GetString();
            case JsonValueKind.Number:
                if (mode == NumberMode.Decimal && e.TryGetDecimal(out var dec))
                {
                    return dec;
                }

                return e.GetDouble();
            case JsonValueKind.True:
                return BoxedTrue;
            case JsonValueKind.False:
                return BoxedFalse;
            case JsonValueKind.Null:
                return JNull.Value;
            default:
                return null;
        }
    }

    public static object? FromNode(JsonNode? node, NumberMode mode)
    {
        if (node is null)
        {
            return JNull.Value;
        }

        switch (node)
        {
            case JsonObject o:
                var m = new JMap();
                foreach (var p in o)
                {
                    m[p.Key] = FromNode(p.Value, mode);
                }

                return m;
            case JsonArray a:
                var l = new JList(a.Count);
                foreach (var item in a)
                {
                    l.Add(FromNode(item, mode));
                }

                return l;
            default:
                var v = (JsonValue)node;
                if (v.TryGetValue<JsonElement>(out var el))
                {
                    return FromElement(el, mode);
                }

                if (v.TryGetValue<string>(out var s))
                {
                    return s;
                }

                if (v.TryGetValue<bool>(out var b))
                {
                    return Bool(b);
                }

                if (v.TryGetValue<decimal>(out var dm))
                {
                    return mode == NumberMode.Decimal ? dm : (double)dm;
                }

                if (v.TryGetValue<double>(out var d))
                {
                    return Num.FromDouble(d, mode);
                }

                if (v.TryGetValue<int>(out var i))
                {
                    return Num.FromLong(i, mode);
                }

                if (v.TryGetValue<long>(out var lg))
                {
                    return Num.FromLong(lg, mode);
                }

                return FromElement(JsonSerializer.SerializeToElement(node), mode);
        }
    }

    /// <summary>
    /// What <c>FromNode(ToNode(v), Decimal)</c> gives — the value as JSON carries it: no sequence flags, no undefined
    /// members, non-finite numbers null, numbers decimal where exact, anything else (a function) an empty string, and
    /// every object and array a new one (as after a round trip through JSON: no value shares one with the original,
    /// so <c>in</c> and <c>=</c>, which compare objects by reference, answer as they did) — without building the nodes.
    /// Not <c>JsonataFunctionRegistry.Normalize</c>: that keeps a host value as the engine holds it (undefined members,
    /// non-finite numbers, functions), only converting its numbers to the expression's mode.
    /// </summary>
    public static object Plain(object? v)
    {
        switch (v)
        {
            case null:
                return JNull.Value;
            case double d:
                return double.IsFinite(d) ? Num.FromDouble(d, NumberMode.Decimal) : JNull.Value;
            case string or decimal or bool or JNull:
                return v;
            case JList l:
                var list = new JList(l.Count);
                foreach (var item in l)
                {
                    list.Add(Plain(item));
                }

                return list;
            case JMap m:
                var map = new JMap(m.Count);
                foreach (var (key, value) in m)
                {
                    if (value is not null)
                    {
                        map[key] = Plain(value);
                    }
                }

                return map;
            default:
                return string.Empty;
        }
    }

    public static JsonNode? ToNode(object? v)
    {
        switch (v)
        {
            case null:
            case JNull:
                return null;
            case string s:
                return JsonValue.Create(s);
            case bool b:
                return JsonValue.Create(b);
            case double d:
                return double.IsFinite(d) ? JsonValue.Create(d) : null;
            case decimal m:
                return JsonValue.Create(m);
            case JList l:
                var a = new JsonArray();
                foreach (var item in l)
                {
                    a.Add(ToNode(item));
                }

                return a;
            case JMap o:
                var obj = new JsonObject();
                foreach (var kv in o)
                {
                    if (kv.Value is not null)
                    {
                        obj[kv.Key] = ToNode(kv.Value);
                    }
                }

                return obj;
            default:
                return JsonValue.Create(string.Empty);
        }
    }

    public static void Write(Utf8JsonWriter w, object? v, bool precision15 = false)
    {
        switch (v)
        {
            case null:
            case JNull:
                w.WriteNullValue();
                break;
            case string s:
                w.WriteStringValue(s);
                break;
            case bool b:
                w.WriteBooleanValue(b);
                break;
            case double or decimal:
                if (!Num.IsFinite(v))
                {
                    w.WriteNullValue();
                }
                else
                {
                    w.WriteRawValue(precision15 ? Num.FormatPrecision15(v) : Num.Format(v), skipInputValidation: true);
                }

                break;
            case JList l:
                w.WriteStartArray();
                foreach (var item in l)
                {
                    Write(w, item, precision15);
                }

                w.WriteEndArray();
                break;
            case JMap o:
                w.WriteStartObject();
                foreach (var kv in o)
                {
                    if (kv.Value is not null)
                    {
                        w.WritePropertyName(kv.Key);
                        Write(w, kv.Value, precision15);
                    }
                }

                w.WriteEndObject();
                break;
            default:
                w.WriteStringValue(string.Empty);
                break;
        }
    }

    public static string Serialize(object? v, bool indented = false, bool precision15 = false) => JsonText.Stringify(v, indented, precision15);
}
