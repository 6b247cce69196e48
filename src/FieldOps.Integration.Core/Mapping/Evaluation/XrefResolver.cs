using System.Text.Json;
using System.Text.Json.Nodes;
using FieldOps.Integration.Core.CrossReferences;

namespace FieldOps.Integration.Core.Mapping.Evaluation;

/// <summary>
/// Replaces <c>$xref</c> placeholders in an operation's payload with the target id where the cross-reference is known;
/// the rest stay placeholders for the dispatcher to fill in just before the call.
/// </summary>
public static class XrefResolver
{
    /// <summary>Resolves what <paramref name="find"/> knows; returns how many placeholders remain.</summary>
    public static async ValueTask<int> ResolveAsync(JsonNode? payload, Func<XrefPlaceholder, ValueTask<string?>> find)
    {
        ArgumentNullException.ThrowIfNull(find);
        var remaining = 0;
        foreach (var (placeholder, replace) in Collect(payload))
        {
            if (await find(placeholder).ConfigureAwait(false) is { } targetId)
                replace(targetId);
            else
                remaining++;
        }
        return remaining;
    }

    private static List<(XrefPlaceholder Placeholder, Action<string> Replace)> Collect(JsonNode? node)
    {
        var found = new List<(XrefPlaceholder, Action<string>)>();
        Walk(node, found);
        return found;
    }

    private static void Walk(JsonNode? node, List<(XrefPlaceholder, Action<string>)> found)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    if (Read(child) is { } placeholder)
                        found.Add((placeholder, id => obj[name] = id));
                    else
                        Walk(child, found);
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var index = i;
                    if (Read(array[i]) is { } placeholder)
                        found.Add((placeholder, id => array[index] = id));
                    else
                        Walk(array[i], found);
                }
                break;
        }
    }

    private static XrefPlaceholder? Read(JsonNode? node) =>
        MappingFunctions.IsPlaceholder(node) ? XrefPlaceholder.TryRead(JsonSerializer.SerializeToElement(node)) : null;
}
