using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using FieldOps.Integration.Core.Operations;
using FieldOps.Integration.Core.Telemetry;

namespace FieldOps.Integration.Host.Admin;

/// <summary>The JSON shapes the admin API and the CLI print, so both show the same thing.</summary>
internal static class AdminViews
{
    /// <summary>Web defaults (camelCase) with enums as their names.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The same, indented, for a terminal.</summary>
    public static readonly JsonSerializerOptions Indented = new(Json) { WriteIndented = true };

    /// <summary>One row and the whole life of its event: inbox record, then each operation with its attempts and actions.</summary>
    public static object Show(OperationRow row, EventLife life, string? mappingsRoot) =>
        new { operation = Operation(row, life), origin = MappingOriginLocator.Locate(row, mappingsRoot), @event = Life(life) };

    public static object Life(EventLife life)
    {
        ArgumentNullException.ThrowIfNull(life);
        var ev = life.Event;
        return new
        {
            id = ev.Id,
            source = ev.Source,
            dedupKey = ev.DedupKey,
            receivedAt = ev.ReceivedAt,
            state = ev.State,
            stateReason = ev.StateReason,
            traceId = PipelineTracing.TraceIdOf(ev.TraceParent),
            payload = Parse(ev.PayloadJson),
            operations = life.Operations.Select(o => Operation(o, life)).ToList(),
        };
    }

    private static object Operation(OperationRow o, EventLife life) => new
    {
        id = o.Id,
        seq = o.Seq,
        flow = o.Flow,
        operationKey = o.OperationKey,
        mappingRevision = o.MappingRevision,
        sourceFile = o.SourceFile,
        connector = o.Connector,
        connection = o.Connection,
        operation = o.Operation,
        objectType = o.ObjectType,
        idempotencyKey = o.IdempotencyKey,
        partitionKey = o.PartitionKey,
        state = o.State,
        attempts = o.Attempts,
        createdAt = o.CreatedAt,
        completedAt = o.CompletedAt,
        lastOutcome = o.LastOutcome,
        lastError = o.LastError,
        deadReason = o.DeadReason,
        targetId = o.TargetId,
        replayOf = o.ReplayOf,
        traceId = PipelineTracing.TraceIdOf(o.TraceParent),
        payload = Parse(o.Payload),
        attemptHistory = life.Attempts.Where(a => a.OutboxId == o.Id).Select(a => new
        {
            attempt = a.Attempt.Attempt,
            startedAt = a.Attempt.StartedAt,
            durationMs = (long)a.Attempt.Duration.TotalMilliseconds,
            outcome = a.Attempt.Outcome,
            statusCode = a.Attempt.StatusCode,
            message = a.Attempt.Message,
            responseExcerpt = a.Attempt.ResponseExcerpt,
            instance = a.Attempt.Instance,
        }).ToList(),
        actions = life.Actions.Where(a => a.OutboxId == o.Id).ToList(),
    };

    private static JsonNode? Parse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }
}
