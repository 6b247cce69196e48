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
        foreach (var found in Collect(payload))
        {
            if (await find(found.Placeholder).ConfigureAwait(false) is { } targetId)
                found.Replace(targetId);
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
        foreach (var each in found)
        {
            if (!known.ContainsKey(each.Placeholder))
                return each.Placeholder;
        }
        foreach (var each in found)
            each.Replace(known[each.Placeholder]);
        return null;
    }

    /// <summary>
    /// Fills in, for the rows of one claim, every payload whose placeholders are all known, from one lookup of all their
    /// placeholders (issue 15: on PostgreSQL each delivery's own lookup was a round trip, ~5 a job); a payload with one
    /// still unknown is left whole, for <see cref="ResolveAsync(OperationPayload, ICrossReferenceStore, CancellationToken)"/>
    /// to look up again just before its call, as before.
    /// </summary>
    public static async Task FillKnownAsync(IEnumerable<OperationPayload> payloads, ICrossReferenceStore crossReferences, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        ArgumentNullException.ThrowIfNull(crossReferences);
        var each = new List<List<Found>>();
        foreach (var payload in payloads)
        {
            var found = Collect(payload.Fields);
            Walk(payload.Params, found);
            if (found.Count > 0)
                each.Add(found);
        }
        if (each.Count == 0)
            return;
        var known = await crossReferences.FindManyAsync(each.SelectMany(f => f).Select(f => f.Placeholder).ToHashSet(), cancellationToken)
            .ConfigureAwait(false);
        foreach (var found in each)
        {
            if (found.TrueForAll(f => known.ContainsKey(f.Placeholder)))
                found.ForEach(f => f.Replace(known[f.Placeholder]));
        }
    }

    private static List<Found> Collect(JsonNode? node)
    {
        var found = new List<Found>();
        Walk(node, found);
        return found;
    }

    // Walks without copying or capturing: a payload is walked for every operation the router plans (issue 15: the
    // copies and closures were ~15 KB of the ~260 KB allocated per routed event, for placeholders few payloads have).
    private static void Walk(JsonNode? node, List<Found> found)
    {
        switch (node)
        {
            case JsonObject obj:
                for (var i = 0; i < obj.Count; i++) // by index: a foreach would box the object's enumerator
                {
                    var (name, child) = obj.GetAt(i);
                    if (Read(child) is { } placeholder)
                        found.Add(new Found(placeholder, obj, name, -1));
                    else
                        Walk(child, found);
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (Read(array[i]) is { } placeholder)
                        found.Add(new Found(placeholder, array, null, i));
                    else
                        Walk(array[i], found);
                }
                break;
        }
    }

    private static XrefPlaceholder? Read(JsonNode? node) =>
        MappingFunctions.IsPlaceholder(node) ? XrefPlaceholder.TryRead(node) : null;

    /// <summary>A placeholder and where it is: a property of an object, or an item of an array.</summary>
    private readonly record struct Found(XrefPlaceholder Placeholder, JsonNode Parent, string? Name, int Index)
    {
        public void Replace(string targetId)
        {
            if (Parent is JsonObject obj)
                obj[Name!] = targetId;
            else
                ((JsonArray)Parent)[Index] = targetId;
        }
    }
}
