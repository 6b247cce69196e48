using System.Text.Json;
using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Mapping.Evaluation;

namespace FieldOps.Integration.Core.CrossReferences;

/// <summary>
/// Replaces <c>$xref</c> placeholders in an operation's payload with target ids: the router fills in what is known
/// (the rest stay placeholders), and the dispatcher fills in the rest just before the call.
/// </summary>
internal static class XrefResolver
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

    /// <summary>The placeholders in <paramref name="payload"/>, in document order (so a caller can look them up together first).</summary>
    public static IEnumerable<XrefPlaceholder> Placeholders(JsonNode? payload) => Collect(payload).Select(p => p.Placeholder);

    /// <summary>
    /// The payload with every placeholder replaced from <paramref name="crossReferences"/>; or, while one is still
    /// unknown, the payload unchanged and that placeholder.
    /// </summary>
    public static async Task<(JsonElement Payload, XrefPlaceholder? Missing)> ResolveAsync(
        JsonElement payload, ICrossReferenceStore crossReferences, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(crossReferences);
        var text = payload.GetRawText();
        if (!text.Contains(XrefPlaceholder.PropertyName, StringComparison.Ordinal))
            return (payload, null);
        var node = JsonNode.Parse(text);
        foreach (var (placeholder, replace) in Collect(node))
        {
            var id = await crossReferences.FindAsync(placeholder.System, placeholder.Type, placeholder.SourceId, cancellationToken)
                .ConfigureAwait(false);
            if (id is null)
                return (payload, placeholder);
            replace(id);
        }
        return (JsonSerializer.SerializeToElement(node), null);
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
