using System.Text.Json;
using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Mapping.Model;
using FieldOps.Jsonata;

namespace FieldOps.Integration.Core.Mapping.Evaluation;

/// <summary>
/// Binds the results of a flow's <c>enrich</c> reads as variables, or says which read is still needed. Pure: the
/// caller (the router, <c>fieldops test</c>) performs the read and maps again with its result.
/// </summary>
internal static class FlowEnricher
{
    /// <summary>
    /// True with the bindings the flow's expressions use (its lookups and every read's result); false when the flow's
    /// condition does not select the event, or when a read's result is missing (added to <paramref name="requests"/>).
    /// Steps run in order, so a step's parameters may use an earlier step's result.
    /// </summary>
    public static bool TryBind(
        CompiledFlow flow, JsonataBindings lookups, JsonataValueOrUndefined canonical,
        IReadOnlyDictionary<string, JsonElement>? results, EvaluationOptions options, List<EnrichmentRequest> requests,
        out JsonataBindings bindings)
    {
        bindings = lookups;
        // Nothing is read for an event the flow does not take.
        if (flow.Condition is { } condition && !FlowEvaluator.IsTruthy(condition.Evaluate(canonical, lookups, options, out var none), none))
            return false;
        var bound = lookups;
        foreach (var step in flow.Enrich)
        {
            if (step.When is { } when && !FlowEvaluator.IsTruthy(when.Evaluate(canonical, bound, options, out var undefined), undefined))
                continue;
            if (results is not null && results.TryGetValue(EnrichmentRequest.KeyOf(flow.Name, step.Name), out var result))
            {
                bound = bound.With(step.Name, result);
                continue;
            }
            var parameters = step.Params.Evaluate(canonical, bound, options, out _) as JsonObject ?? [];
            requests.Add(new EnrichmentRequest(flow.Name, step.Name, step.Connector, step.Connection, step.Read, parameters, flow.File));
            return false;
        }
        bindings = bound;
        return true;
    }
}
