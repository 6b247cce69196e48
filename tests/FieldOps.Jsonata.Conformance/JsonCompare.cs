using System.Text.Json;
using System.Text.Json.Nodes;

namespace FieldOps.Jsonata.Conformance;

/// <summary>Deep JSON equality: object key order ignored, numbers compared as doubles.</summary>
public static class JsonCompare
{
    /// <summary>Compares with a relative numeric tolerance (0 = exact double equality).</summary>
    public static bool DeepEquals(JsonNode? a, JsonNode? b, double tolerance)
    {
        switch (a)
        {
            case null:
                return b is null;
            case JsonObject oa:
                if (b is not JsonObject ob || oa.Count != ob.Count)
                {
                    return false;
                }

                foreach (var kv in oa)
                {
                    if (!ob.TryGetPropertyValue(kv.Key, out var bv) || !DeepEquals(kv.Value, bv, tolerance))
                    {
                        return false;
                    }
                }

                return true;
            case JsonArray aa:
                if (b is not JsonArray ab || aa.Count != ab.Count)
                {
                    return false;
                }

                for (var i = 0; i < aa.Count; i++)
                {
                    if (!DeepEquals(aa[i], ab[i], tolerance))
                    {
                        return false;
                    }
                }

                return true;
            default:
                if (b is not JsonValue vb)
                {
                    return false;
                }

                var ea = a.GetValueKind();
                var eb = vb.GetValueKind();
                if (ea != eb)
                {
                    return false;
                }

                if (ea == JsonValueKind.Number)
                {
                    var x = double.Parse(a.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
                    var y = double.Parse(vb.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
                    if (x == y)
                    {
                        return true;
                    }

                    return Math.Abs(x - y) <= tolerance * Math.Max(Math.Abs(x), Math.Abs(y));
                }

                if (ea == JsonValueKind.String)
                {
                    return a.GetValue<string>() == vb.GetValue<string>();
                }

                return true;
        }
    }
}
