using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FieldOps.Integration.Core.Connectors;

namespace FieldOps.Integration.Core.Tests.Support;

/// <summary>
/// A test-only <see cref="IBatchConnector"/> named <c>batch</c>: POSTs its operations as one JSON array to <c>/batch</c>
/// (<c>[{"key","operation","id"}]</c>) and reads one result per key from the answer
/// (<c>{"results":[{"key":"k1","status":"ok|transient|auth|permanent","id":"…","error":"…"}]}</c>); a single operation is a
/// batch of one. <c>note</c> operations are non-idempotent and batch too (no real connector batches them: this one lets
/// the dispatcher's guarantees be tested); their effect check asks <c>GET /batch/effect/{operation id}</c> (200: applied).
/// </summary>
public sealed class WireMockBatchConnector(IHttpClientFactory clients) : IBatchConnector, IEffectChecker
{
    public const string ConnectorName = "batch";

    public string Name => ConnectorName;

    public int MaxBatchSize => 10;

    public bool CanBatch(OutboundOperation first, OutboundOperation other) =>
        first.ObjectType == other.ObjectType && first.Operation == other.Operation;

    public bool IsNonIdempotent(OutboundOperation operation) => operation.Operation == OperationNames.Note;

    public async Task<DeliveryOutcome> DeliverAsync(OutboundOperation operation, CancellationToken cancellationToken) =>
        (await DeliverBatchAsync([operation], cancellationToken))[0];

    public async Task<IReadOnlyList<DeliveryOutcome>> DeliverBatchAsync(IReadOnlyList<OutboundOperation> operations, CancellationToken cancellationToken)
    {
        var body = operations.Select(o => new { key = o.IdempotencyKey, operation = o.Operation, id = o.Id });
        using var response = await clients.CreateClient(ConnectorName).PostAsJsonAsync("/batch", body, cancellationToken);
        if (!response.IsSuccessStatusCode)
            return operations.Select(_ => DeliveryOutcome.Transient($"HTTP {(int)response.StatusCode}") with { StatusCode = (int)response.StatusCode }).ToList();
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var results = answer.RootElement.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("key").GetString()!, r => r.Clone());
        return operations.Select(o => results.TryGetValue(o.IdempotencyKey, out var r) ? Read(r) : DeliveryOutcome.Transient("no result")).ToList();
    }

    public async Task<(EffectCheck Result, string? TargetId)> CheckEffectAsync(OutboundOperation operation, CancellationToken cancellationToken)
    {
        using var response = await clients.CreateClient(ConnectorName).GetAsync(new Uri($"/batch/effect/{operation.Id}", UriKind.Relative), cancellationToken);
        return response.StatusCode == HttpStatusCode.OK ? (EffectCheck.Applied, "T-" + operation.IdempotencyKey) : (EffectCheck.NotApplied, null);
    }

    private static DeliveryOutcome Read(JsonElement result) => result.GetProperty("status").GetString() switch
    {
        "ok" => DeliveryOutcome.Delivered(result.GetProperty("id").GetString()),
        "transient" => DeliveryOutcome.Transient(result.GetProperty("error").GetString()!),
        "auth" => DeliveryOutcome.AuthExpired(result.GetProperty("error").GetString()!),
        _ => DeliveryOutcome.Permanent(result.GetProperty("error").GetString()!),
    };
}
