using System.Text.Json;
using System.Text.Json.Nodes;

namespace FieldOps.Integration.Core.Operations;

/// <summary>Lists the leaves that differ between two JSON values, by path (numbers compare by value: 59.97 = 59.970).</summary>
public static class FieldDiff
{
    /// <summary>The differences from <paramref name="before"/> to <paramref name="after"/>.</summary>
    public static IReadOnlyList<FieldChange> Compare(JsonNode? before, JsonNode? after)
    {
        var changes = new List<FieldChange>();
        Walk(before, after, "$", changes);
        return changes;
    }

    private static void Walk(JsonNode? before, JsonNode? after, string path, List<FieldChange> changes)
    {
        switch (before, after)
        {
            case (JsonObject b, JsonObject a):
                foreach (var name in b.Select(p => p.Key).Union(a.Select(p => p.Key), StringComparer.Ordinal))
                {
                    var inBefore = b.TryGetPropertyValue(name, out var bv);
                    var inAfter = a.TryGetPropertyValue(name, out var av);
                    if (inBefore && inAfter)
                        Walk(bv, av, $"{path}.{name}", changes);
                    else if (!(bv is null && av is null))
                        changes.Add(new FieldChange($"{path}.{name}", inBefore ? Show(bv) : null, inAfter ? Show(av) : null));
                }
                break;
            case (JsonArray b, JsonArray a) when b.Count == a.Count:
                for (var i = 0; i < b.Count; i++)
                    Walk(b[i], a[i], $"{path}[{i}]", changes);
                break;
            default:
                if (!Same(before, after))
                    changes.Add(new FieldChange(path, Show(before), Show(after)));
                break;
        }
    }

    private static bool Same(JsonNode? before, JsonNode? after)
    {
        if (before is JsonValue b && after is JsonValue a && b.GetValueKind() == JsonValueKind.Number && a.GetValueKind() == JsonValueKind.Number
            && b.TryGetValue<decimal>(out var bd) && a.TryGetValue<decimal>(out var ad))
            return bd == ad;
        return Show(before) == Show(after);
    }

    private static string Show(JsonNode? node) => node is null ? "null" : node.ToJsonString();
}
