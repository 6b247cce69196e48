using System.Text.Json;
using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Connectors;

namespace FieldOps.Connectors.Salesforce;

/// <summary>Batches of upserts through sObject Collections: one call, one result per record, each classified on its own.</summary>
public sealed partial class SalesforceConnector
{
    /// <summary>sObject Collections take at most 200 records of one type.</summary>
    public int MaxBatchSize => 200;

    public bool CanBatch(OutboundOperation first, OutboundOperation other)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(other);
        return first.Operation == OperationNames.Upsert && other.Operation == OperationNames.Upsert
            && string.Equals(first.ObjectType, other.ObjectType, StringComparison.Ordinal)
            && !string.Equals(first.IdempotencyKey, other.IdempotencyKey, StringComparison.Ordinal)
            && ExternalIdField(first) is { } field && string.Equals(field, ExternalIdField(other), StringComparison.Ordinal);
    }

    public async Task<IReadOnlyList<DeliveryOutcome>> DeliverBatchAsync(IReadOnlyList<OutboundOperation> operations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operations);
        if (!_options.IsActive)
            return operations.Select(_ => NotConfigured()).ToList();
        if (operations.Count <= 1)
            return operations.Count == 0 ? [] : [await DeliverAsync(operations[0], cancellationToken).ConfigureAwait(false)];
        var outcomes = new DeliveryOutcome?[operations.Count];
        var records = new List<JsonObject>();
        var sent = new List<int>();
        var objectType = operations[0].ObjectType;
        var field = ExternalIdField(operations[0]);
        for (var i = 0; i < operations.Count; i++)
        {
            // Anything that cannot join the call (the dispatcher should not send it) goes alone.
            if (field is null || (i > 0 && !CanBatch(operations[0], operations[i]))
                || !OperationPayload.TryRead(operations[i], out var payload, out _))
            {
                outcomes[i] = await DeliverAsync(operations[i], cancellationToken).ConfigureAwait(false);
                continue;
            }
            var record = Clone(payload.Fields);
            record["attributes"] = new JsonObject { ["type"] = objectType };
            record[field] = operations[i].IdempotencyKey;
            records.Add(record);
            sent.Add(i);
        }
        if (records.Count > 0)
        {
            var results = await SendCollectionAsync(objectType, field!, records, cancellationToken).ConfigureAwait(false);
            for (var j = 0; j < sent.Count; j++)
                outcomes[sent[j]] = results[j];
        }
        return outcomes.Select(o => o!).ToList();
    }

    private async Task<IReadOnlyList<DeliveryOutcome>> SendCollectionAsync(string objectType, string field, List<JsonObject> records, CancellationToken cancellationToken)
    {
        IReadOnlyList<DeliveryOutcome>? perRecord = null;
        var whole = await CallAsync(
            ct => api.UpsertCollectionAsync(_options.ApiVersion, objectType, field, new SalesforceCollectionRequest(false, records), ct),
            (status, body) =>
            {
                var results = JsonSerializer.Deserialize<List<SalesforceSaveResult>>(body, SalesforceJson.Options) ?? [];
                if (results.Count != records.Count)
                    return DeliveryOutcome.Transient($"sObject Collections answered {results.Count} results for {records.Count} records.");
                perRecord = results.Select(r => r is { Success: true, Id: { Length: > 0 } id }
                    ? DeliveryOutcome.Delivered(id, objectType) with { StatusCode = status }
                    : SalesforceErrorClassifier.ClassifyErrors(r.Errors, _options, usage) with { StatusCode = status }).ToList();
                return DeliveryOutcome.Delivered(null);
            }, cancellationToken).ConfigureAwait(false);
        return perRecord ?? records.Select(_ => whole).ToList();
    }

    private static string? ExternalIdField(OutboundOperation operation) =>
        OperationPayload.TryRead(operation, out var payload, out _) ? payload.Param("externalIdField") : null;
}
