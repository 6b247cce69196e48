using System.Text.Json;
using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Mapping.Loading;
using FieldOps.Integration.Core.Mapping.Model;
using FieldOps.Jsonata;

namespace FieldOps.Integration.Core.Mapping.Evaluation;

/// <summary>Evaluates one flow against a canonical event: its condition, then each operation (per item for <c>forEach</c>).</summary>
internal static class FlowEvaluator
{
    /// <summary>Vendor limits on the idempotency key (QuickBooks <c>requestid</c> ≤ 50, BambooHR <c>timeTrackingId</c> ≤ 36).</summary>
    private static readonly Dictionary<string, int> KeyLimits = new(StringComparer.Ordinal) { ["quickbooks"] = 50, ["bamboohr"] = 36 };

    /// <summary>Adds the flow's operations to <paramref name="output"/>; false when its condition did not select the event.</summary>
    public static bool Evaluate(
        CompiledFlow flow, JsonataBindings lookups, string revision, JsonataValueOrUndefined canonical, EvaluationOptions options,
        List<PlannedOperation> output)
    {
        if (flow.Composite.Evaluate(canonical, lookups, options, out _) is not JsonObject result)
            return false;
        for (var i = 0; i < flow.Operations.Count; i++)
        {
            var operation = flow.Operations[i];
            if (operation.ForEach is null)
            {
                if (result[$"o{i}"] is JsonObject body)
                    output.Add(Build(flow, revision, operation, body, null));
                continue;
            }
            if (!IsTruthy(result[$"w{i}"], !result.ContainsKey($"w{i}")))
                continue;
            var items = operation.ForEach.Evaluate(canonical, lookups, options, out var none);
            if (none || items is null)
                continue;
            var list = items is JsonArray array ? array.ToList() : [items];
            for (var index = 0; index < list.Count; index++)
            {
                var bindings = lookups.With("item", JsonataValueOrUndefined.FromJson(list[index])).With("index", JsonataValueOrUndefined.FromNumber((decimal)index));
                var body = operation.Body.Evaluate(canonical, bindings, options, out _) as JsonObject ?? [];
                output.Add(Build(flow, revision, operation, body, index));
            }
        }
        return true;
    }

    private static PlannedOperation Build(
        CompiledFlow flow, string revision, CompiledOperation operation, JsonObject body, int? index)
    {
        var pointer = operation.Body.Pointer;
        var idempotencyKey = Required(operation, body, "idempotencyKey", index);
        if (KeyLimits.TryGetValue(operation.Connector, out var limit) && idempotencyKey.Length > limit)
        {
            throw new MappingException(operation.Body.At(pointer + "/idempotencyKey",
                $"idempotencyKey '{idempotencyKey}' is {idempotencyKey.Length} characters; {operation.Connector} allows {limit} (try $digest)"));
        }
        return new PlannedOperation
        {
            Flow = flow.Name,
            OperationKey = index is null ? operation.Key : $"{operation.Key}:{idempotencyKey}",
            MappingRevision = revision,
            Connector = operation.Connector,
            Connection = operation.Connection,
            Operation = operation.Operation,
            ObjectType = operation.ObjectType,
            IdempotencyKey = idempotencyKey,
            PartitionKey = Required(operation, body, "partitionKey", index),
            XrefSourceId = CanonicalNormaliser.Text(body["xrefSourceId"]),
            Payload = new JsonObject
            {
                ["fields"] = Detach(body, "fields"),
                ["params"] = Detach(body, "params"),
            },
            SourceFile = flow.File,
        };
    }

    private static JsonNode Detach(JsonObject body, string name)
    {
        var node = body[name];
        if (node is null)
            return new JsonObject();
        body.Remove(name);
        return node;
    }

    private static string Required(CompiledOperation operation, JsonObject body, string name, int? index)
    {
        var value = CanonicalNormaliser.Text(body[name]);
        if (string.IsNullOrEmpty(value))
        {
            var item = index is null ? "" : $" for item {index}";
            throw new MappingException(operation.Body.At(operation.Body.Pointer + "/" + name, $"{name} gave no value{item}: a required field of the event is missing"));
        }
        return value;
    }

    /// <summary>JSONata's truthiness: false, 0, "", null, undefined, and empty arrays/objects are false.</summary>
    public static bool IsTruthy(JsonNode? node, bool undefined) => !undefined && node switch
    {
        null => false,
        JsonArray a => a.Any(x => IsTruthy(x, false)),
        JsonObject o => o.Count > 0,
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.False => false,
            JsonValueKind.String => v.GetValue<string>().Length > 0,
            JsonValueKind.Number => v.GetValue<decimal>() != 0,
            _ => true,
        },
        _ => true,
    };
}
