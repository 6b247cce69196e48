using FieldOps.Integration.Core.Connectors;

namespace FieldOps.Connectors.HubSpot;

/// <summary>
/// Upserts through HubSpot's batch endpoint: one call for up to 100 inputs of one object type; a 207 answer is split
/// per input. The dispatcher sends upserts it claimed together in one call (<see cref="IBatchConnector"/>).
/// </summary>
public sealed partial class HubSpotConnector
{
    /// <summary>100 inputs per batch call: the commonly used cap (target-apis.md 2.3; HubSpot does not confirm a figure).</summary>
    public int MaxBatchSize => 100;

    public bool CanBatch(OutboundOperation first, OutboundOperation other)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(other);
        return first.Operation == OperationNames.Upsert && other.Operation == OperationNames.Upsert
            && string.Equals(first.ObjectType, other.ObjectType, StringComparison.Ordinal)
            && !string.Equals(first.IdempotencyKey, other.IdempotencyKey, StringComparison.OrdinalIgnoreCase)
            && IdProperty(first) is { } property && string.Equals(property, IdProperty(other), StringComparison.Ordinal);
    }

    public async Task<IReadOnlyList<DeliveryOutcome>> DeliverBatchAsync(IReadOnlyList<OutboundOperation> operations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var outcomes = new DeliveryOutcome?[operations.Count];
        var inputs = new List<HubSpotUpsertInput>();
        var sent = new List<int>();
        for (var i = 0; i < operations.Count; i++)
        {
            var operation = operations[i];
            // Anything that cannot join the call (the dispatcher should not send it) goes alone.
            if ((i > 0 && !CanBatch(operations[0], operation)) || operation.Operation != OperationNames.Upsert
                || operation.Payload is not { Error: null } payload || payload.Param("idProperty") is not { } idProperty)
            {
                outcomes[i] = await DeliverAsync(operation, cancellationToken).ConfigureAwait(false);
                continue;
            }
            var properties = Clone(payload.Fields);
            if (operation.ObjectType == "tickets")
            {
                // HubSpot needs a pipeline and stage to create a ticket; a flow that names its own keeps them.
                properties["hs_pipeline"] ??= _options.TicketPipelineId;
                properties["hs_pipeline_stage"] ??= _options.OpenStageId;
            }
            inputs.Add(new HubSpotUpsertInput(operation.IdempotencyKey, idProperty, properties, operation.Id));
            sent.Add(i);
        }
        if (inputs.Count > 0)
        {
            var objectType = operations[sent[0]].ObjectType;
            IReadOnlyList<DeliveryOutcome>? perInput = null;
            var whole = await CallAsync(
                ct => api.BatchUpsertAsync(_options.ObjectsPath, objectType, new HubSpotBatchInput(inputs), ct),
                body =>
                {
                    perInput = HubSpotBatchMatcher.Match(inputs, HubSpotJson.Read<HubSpotBatchResult>(body) ?? new HubSpotBatchResult(), _classifier, objectType);
                    return DeliveryOutcome.Delivered(null);
                }, objectType, cancellationToken).ConfigureAwait(false);
            for (var j = 0; j < sent.Count; j++)
                outcomes[sent[j]] = perInput is null ? whole : perInput[j] with { StatusCode = whole.StatusCode };
        }
        return outcomes.Select(o => o!).ToList();
    }

    private static string? IdProperty(OutboundOperation operation) =>
        operation.Payload.Error is null ? operation.Payload.Param("idProperty") : null;
}
