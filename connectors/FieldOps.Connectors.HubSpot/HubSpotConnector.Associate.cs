using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Connectors;

namespace FieldOps.Connectors.HubSpot;

/// <summary>
/// <c>associate</c>: links the record <c>params.id</c> (of the operation's object type, e.g. the job's ticket) to each of
/// <c>params.to</c> (<c>[{"objectType": "contacts", "id": …}]</c>) with HubSpot's default association. Each call is an
/// idempotent PUT, so a retry after a partial failure repeats the ones already made harmlessly.
/// </summary>
public sealed partial class HubSpotConnector
{
    private async Task<DeliveryOutcome> AssociateAsync(OutboundOperation operation, OperationPayload payload, CancellationToken cancellationToken)
    {
        if (payload.Param("id") is not { } id)
            return DeliveryOutcome.Permanent("hubspot associate needs params.id (the record to associate from).", ["id"]);
        DeliveryOutcome? last = null;
        foreach (var target in payload.Params["to"] as JsonArray ?? [])
        {
            var toType = Text(target?["objectType"]);
            var toId = Text(target?["id"]);
            if (toType is null || toId is null)
                return DeliveryOutcome.Permanent("hubspot associate: every params.to entry needs objectType and id.", ["to"]);
            last = await CallAsync(
                ct => api.AssociateAsync(operation.ObjectType, id, toType, toId, ct),
                _ => DeliveryOutcome.Delivered(id, operation.ObjectType), operation.ObjectType, cancellationToken).ConfigureAwait(false);
            if (!last.IsDelivered)
                return last;
        }
        return DeliveryOutcome.Delivered(id, operation.ObjectType) with { StatusCode = last?.StatusCode };
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
}
