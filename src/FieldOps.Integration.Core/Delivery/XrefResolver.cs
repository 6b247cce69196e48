using System.Text.Json;
using System.Text.Json.Nodes;
using FieldOps.Integration.Core.CrossReferences;

namespace FieldOps.Integration.Core.Delivery;

/// <summary>Replaces every <see cref="XrefPlaceholder"/> in a payload with the target id, just before the call.</summary>
public sealed class XrefResolver(ICrossReferenceStore crossReferences)
{
    /// <summary>The resolved payload, or the first placeholder that is still unknown.</summary>
    public async Task<(JsonElement Payload, XrefPlaceholder? Missing)> ResolveAsync(JsonElement payload, CancellationToken cancellationToken)
    {
        if (!payload.GetRawText().Contains(XrefPlaceholder.PropertyName, StringComparison.Ordinal))
            return (payload, null);
        var node = JsonNode.Parse(payload.GetRawText());
        var (replaced, missing) = await ReplaceAsync(node, cancellationToken).ConfigureAwait(false);
        if (missing is not null)
            return (payload, missing);
        return (JsonSerializer.SerializeToElement(replaced), null);
    }

    private async Task<(JsonNode? Node, XrefPlaceholder? Missing)> ReplaceAsync(JsonNode? node, CancellationToken cancellationToken)
    {
        switch (node)
        {
            case JsonObject obj:
                if (XrefPlaceholder.TryRead(JsonSerializer.SerializeToElement(obj)) is { } placeholder)
                {
                    var id = await crossReferences.FindAsync(placeholder.System, placeholder.Type, placeholder.SourceId, cancellationToken)
                        .ConfigureAwait(false);
                    return id is null ? (node, placeholder) : (JsonValue.Create(id), null);
                }
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    var (child, missing) = await ReplaceAsync(obj[key], cancellationToken).ConfigureAwait(false);
                    if (missing is not null)
                        return (node, missing);
                    if (!ReferenceEquals(child, obj[key]))
                        obj[key] = child;
                }
                return (obj, null);
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var (child, missing) = await ReplaceAsync(array[i], cancellationToken).ConfigureAwait(false);
                    if (missing is not null)
                        return (node, missing);
                    if (!ReferenceEquals(child, array[i]))
                        array[i] = child;
                }
                return (array, null);
            default:
                return (node, null);
        }
    }
}
