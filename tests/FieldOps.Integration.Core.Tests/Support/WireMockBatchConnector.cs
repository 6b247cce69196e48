using System.Net.Http.Json;
using System.Text.Json;
using FieldOps.Integration.Core.Delivery;

namespace FieldOps.Integration.Core.Tests.Support;

/// <summary>
/// A test-only <see cref="IBatchConnector"/> named <c>batch</c>: POSTs the operations as one JSON request to
/// <c>/batch</c> and reads one result per key from the answer
/// (<c>{"results":[{"key":"k1","status":"ok|transient|auth|permanent","id":"…","error":"…"}]}</c>). A single operation is a
/// batch of one. <c>note</c> operations are non-idempotent; operations batch when their object type and verb match.
/// </summary>
public sealed class WireMockBatchConnector(IHttpClientFactory clients) : IBatchConnector
{
    public const string ConnectorName = "batch";

    public string Name => ConnectorName;

    public int MaxBatchSize { get; init; } = 10;

    public bool CanBatch(OutboundOperation first, OutboundOperation other) =>
        first.ObjectType == other.ObjectType && first.Operation == other.Operation;

    public bool IsNonIdempotent(OutboundOperation operation) => operation.Operation == OperationNames.Note;

    public async Task<DeliveryOutcome> DeliverAsync(OutboundOperation operation, CancellationToken cancellationToken) =>
        (await DeliverBatchAsync([operation], cancellationToken))[0];

    public async Task<IReadOnlyList<DeliveryOutcome>> DeliverBatchAsync(IReadOnlyList<OutboundOperation> operations, CancellationToken cancellationToken)
    {
        var body = operations.Select(o => new { key = o.IdempotencyKey, operation = o.Operation, fields = o.Payload.GetProperty("fields") });
        using var response = await clients.CreateClient(ConnectorName).PostAsJsonAsync("/batch", body, cancellationToken);
        response.EnsureSuccessStatusCode(); // a failed call escapes: the dispatcher counts it transient for every row
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var results = answer.RootElement.GetProperty("results").EnumerateArray()
            .ToDictionary(r => r.GetProperty("key").GetString()!, r => r.Clone());
        return operations.Select(o => results.TryGetValue(o.IdempotencyKey, out var r) ? Read(r) : DeliveryOutcome.Transient("no result")).ToList();
    }

    private static DeliveryOutcome Read(JsonElement result) => result.GetProperty("status").GetString() switch
    {
        "ok" => DeliveryOutcome.Delivered(result.GetProperty("id").GetString()),
        "transient" => DeliveryOutcome.Transient(result.GetProperty("error").GetString()!),
        "auth" => DeliveryOutcome.AuthExpired(result.GetProperty("error").GetString()!),
        _ => DeliveryOutcome.Permanent(result.GetProperty("error").GetString()!),
    };
}
