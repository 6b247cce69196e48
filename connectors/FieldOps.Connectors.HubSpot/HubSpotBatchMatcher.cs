using FieldOps.Integration.Core.Connectors;

namespace FieldOps.Connectors.HubSpot;

/// <summary>
/// Ties a batch answer's results and errors to the inputs: by <c>objectWriteTraceId</c> (our operation key), then by
/// the unique property's value, then — when exactly as many are left on both sides — in order. An input nothing can
/// be tied to is transient: the upsert is idempotent, so sending it again is safe.
/// </summary>
internal static class HubSpotBatchMatcher
{
    public static IReadOnlyList<DeliveryOutcome> Match(
        IReadOnlyList<HubSpotUpsertInput> inputs, HubSpotBatchResult answer, HubSpotErrorClassifier classifier, string objectType)
    {
        var outcomes = new DeliveryOutcome?[inputs.Count];
        var results = answer.Results.ToList();
        var errors = answer.Errors.ToList();
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            var result = results.FirstOrDefault(r => r.ObjectWriteTraceId == input.ObjectWriteTraceId)
                ?? results.FirstOrDefault(r => string.Equals(r.Property(input.IdProperty), input.Id, StringComparison.OrdinalIgnoreCase));
            if (result is { Id: { } id })
            {
                outcomes[i] = DeliveryOutcome.Delivered(id, objectType);
                results.Remove(result);
                continue;
            }
            var error = errors.FirstOrDefault(e => e.ObjectWriteTraceId == input.ObjectWriteTraceId
                || e.ContextValues().Any(v => string.Equals(v, input.Id, StringComparison.OrdinalIgnoreCase) || v == input.ObjectWriteTraceId));
            if (error is not null)
            {
                outcomes[i] = classifier.ClassifyItem(error, objectType);
                errors.Remove(error);
            }
        }
        var open = Enumerable.Range(0, inputs.Count).Where(i => outcomes[i] is null).ToList();
        if (open.Count > 0 && open.Count == results.Count + errors.Count && (results.Count == 0 || errors.Count == 0))
        {
            for (var k = 0; k < open.Count; k++)
                outcomes[open[k]] = results.Count > 0 && results[k].Id is { } id
                    ? DeliveryOutcome.Delivered(id, objectType)
                    : errors.Count > 0 ? classifier.ClassifyItem(errors[k], objectType) : null;
        }
        return outcomes.Select(o => o ?? DeliveryOutcome.Transient("HubSpot's batch answer has no result for this input.")).ToList();
    }
}
