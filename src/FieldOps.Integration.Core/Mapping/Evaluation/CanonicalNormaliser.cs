using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Mapping.Loading;
using FieldOps.Integration.Core.Mapping.Model;
using FieldOps.Jsonata;

namespace FieldOps.Integration.Core.Mapping.Evaluation;

/// <summary>Applies a source profile: raw payload → canonical event (envelope + entity), checked against the canonical schemas.</summary>
internal static class CanonicalNormaliser
{
    /// <summary>
    /// The profile's text for the first of its <c>requires</c> the event does not meet, or null when it meets them all.
    /// <paramref name="payload"/> is the event's payload converted once (<see cref="JsonataValueOrUndefined.FromJson(System.Text.Json.Nodes.JsonNode)"/>)
    /// for every expression of the profile.
    /// </summary>
    public static string? UnmetRequirement(CompiledProfile profile, JsonataBindings lookups, JsonataValueOrUndefined payload, EvaluationOptions options)
    {
        foreach (var (reason, expression) in profile.Requires)
        {
            var value = expression.Evaluate(payload, lookups, options, out var undefined);
            if (!FlowEvaluator.IsTruthy(value, undefined))
                return reason;
        }
        return null;
    }

    /// <summary>
    /// The canonical type the profile's envelope gives an event that does not meet its <c>requires</c> yet (a thin
    /// webhook: the type comes from its topic), or null when the envelope cannot tell without the rest.
    /// </summary>
    public static string? TypeBeforeRequirements(CompiledProfile profile, JsonataBindings lookups, JsonataValueOrUndefined payload, EvaluationOptions options)
    {
        try
        {
            return profile.Envelope.Evaluate(payload, lookups, options, out _) is JsonObject envelope
                ? Text(envelope["type"])
                : null;
        }
        catch (MappingException)
        {
            return null; // the envelope needs what is missing: hydrate, then map as usual
        }
    }

    /// <summary>
    /// The canonical event of an event that meets the profile's <c>requires</c>, or null with <paramref name="unmatched"/>
    /// saying why it has none; <paramref name="value"/> is the same event as the flows' expressions read it (what
    /// converting the returned object would give, built from the entity's own result instead: issue 15, converting the
    /// canonical event was ~14 % of the mapping's CPU).
    /// </summary>
    public static JsonObject? Normalise(
        CompiledProfile profile, JsonataBindings lookups, SourceEvent ev, JsonataValueOrUndefined input, EvaluationOptions options,
        out JsonataValueOrUndefined value, out string? unmatched)
    {
        unmatched = null;
        value = JsonataValueOrUndefined.Undefined;
        if (profile.Envelope.Evaluate(input, lookups, options, out _) is not JsonObject envelope)
            throw new MappingException(profile.Envelope.At(profile.Envelope.Pointer, "the envelope did not evaluate to an object"));
        var topic = Text(envelope["sourceTopic"]);
        if (Text(envelope["type"]) is not { } type)
        {
            unmatched = $"profile '{profile.Name}' gives no canonical type for this event" + (topic is null ? "" : $" (topic {topic})");
            return null;
        }
        var entityType = Text(envelope["entityType"]) ?? "";
        if (!profile.Entities.TryGetValue(entityType, out var entityExpression) && !profile.Entities.TryGetValue("*", out entityExpression))
        {
            unmatched = $"profile '{profile.Name}' has no entity mapping for {entityType} ({type})";
            return null;
        }
        var entityValue = entityExpression.EvaluateValue(input, lookups, options);
        if (entityValue.ToJsonNode() is not JsonObject entity)
            throw new MappingException(entityExpression.At(entityExpression.Pointer, $"the {entityType} entity did not evaluate to an object"));

        var canonical = new JsonObject
        {
            ["eventId"] = ev.EventId,
            ["source"] = ev.Source,
            ["sourceKind"] = ev.SourceKind,
            ["sourceAccountId"] = Text(envelope["sourceAccountId"]),
            ["sourceTopic"] = topic,
            ["type"] = type,
            ["entityType"] = entityType,
            ["entityId"] = Text(envelope["entityId"]),
            ["occurredAt"] = Text(envelope["occurredAt"]),
            ["receivedAt"] = ev.ReceivedAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", System.Globalization.CultureInfo.InvariantCulture),
            ["sourceVersion"] = Text(envelope["sourceVersion"]),
            ["dedupKey"] = ev.DedupKey,
            ["entity"] = entity,
        };
        if (envelope["ownWrite"] is JsonObject ownWrite)
            canonical["ownWrite"] = ownWrite.DeepClone();
        Check(profile, entityExpression, canonical, entityType, entity);
        value = JsonataValueOrUndefined.FromObject(canonical.Select(p => KeyValuePair.Create(p.Key,
            p.Key == "entity" ? entityValue.ToJsonValue() : JsonataValueOrUndefined.FromJson(p.Value))));
        return canonical;
    }

    private static void Check(CompiledProfile profile, CompiledTemplate entityExpression, JsonObject canonical, string entityType, JsonObject entity)
    {
        var diagnostics = new List<MappingDiagnostic>();
        foreach (var (pointer, message) in SchemaCatalog.ValidateEnvelope(canonical))
        {
            var field = pointer.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
            var at = field == "entity" ? entityExpression.Pointer : YamlJsonDocument.Child(profile.Envelope.Pointer, field);
            diagnostics.Add(profile.Envelope.At(at, $"canonical envelope {pointer}: {message}"));
        }
        foreach (var (pointer, message) in SchemaCatalog.ValidateEntity(entityType, entity) ?? [])
            diagnostics.Add(entityExpression.At(entityExpression.Pointer, $"canonical {entityType} {(pointer.Length == 0 ? "/" : pointer)}: {message}"));
        if (diagnostics.Count > 0)
            throw new MappingException(diagnostics);
    }

    /// <summary>A string value (numbers and booleans as their JSON text); null for null or missing.</summary>
    public static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v => v.ToJsonString(),
        _ => node.ToJsonString(),
    };
}
