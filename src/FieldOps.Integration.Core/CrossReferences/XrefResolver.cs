using FieldOps.Integration.Core.Connectors;
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
    /// Replaces every placeholder in <paramref name="payload"/> (in place: it belongs to one delivery) from
    /// <paramref name="crossReferences"/> and returns null; or, while one is still unknown, leaves the payload unchanged
    /// and returns that placeholder.
    /// </summary>
    public static async Task<XrefPlaceholder?> ResolveAsync(OperationPayload payload, ICrossReferenceStore crossReferences, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(crossReferences);
        var found = Collect(payload.Fields);
        Walk(payload.Params, found);
        if (found.Count == 0)
            return null;
        // Looked up together (one connection; on a server database one round trip), then checked in document order.
        var known = await crossReferences.FindManyAsync(found.Select(f => f.Placeholder).ToHashSet(), cancellationToken).ConfigureAwait(false);
        foreach (var (placeholder, _) in found)
        {
            if (!known.ContainsKey(placeholder))
                return placeholder;
        }
        foreach (var (placeholder, replace) in found)
            replace(known[placeholder]);
        return null;
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
        MappingFunctions.IsPlaceholder(node) ? XrefPlaceholder.TryRead(node) : null;
}
