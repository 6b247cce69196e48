using FieldOps.Integration.Core.Connectors;

namespace FieldOps.Connectors.BambooHR;

/// <summary>
/// Splits the bulk Hours answer into one outcome per record sent. BambooHR answers 201 even when items fail, so each
/// item's <c>success</c> decides; a whole-call failure (401, 429, 5xx…) applies to every record.
/// </summary>
internal static class BambooHRBulkResults
{
    private const string ObjectType = "TimeTrackingRecord";

    public static IReadOnlyList<DeliveryOutcome> Split(BambooHRReply reply, IReadOnlyList<string> timeTrackingIds, BambooHRAuthMode authMode)
    {
        if (!reply.IsSuccess)
            return Repeat(BambooHROutcomes.Classify(reply, authMode), timeTrackingIds.Count);
        var items = reply.BulkItems();
        if (items is null)
            return Repeat(BambooHROutcomes.Classify(reply, authMode), timeTrackingIds.Count);

        var outcomes = new List<DeliveryOutcome>(timeTrackingIds.Count);
        for (var i = 0; i < timeTrackingIds.Count; i++)
        {
            var id = timeTrackingIds[i];
            // Items answer in request order; when the count differs, only an item naming our id can speak for it.
            var item = items.Count == timeTrackingIds.Count ? items[i] : items.FirstOrDefault(x => x.Response?.Id == id);
            outcomes.Add(item switch
            {
                null => DeliveryOutcome.Transient($"BambooHR's bulk answer had no result for hour record {id}.") with { StatusCode = (int)reply.Status },
                { Success: true } => DeliveryOutcome.Delivered(item.Response?.Id ?? id, ObjectType),
                _ => DeliveryOutcome.Permanent($"BambooHR refused hour record {id}: {item.Response?.Message ?? "no reason given"}")
                    with { StatusCode = (int)reply.Status, ResponseExcerpt = reply.Excerpt },
            });
        }
        return outcomes;
    }

    private static List<DeliveryOutcome> Repeat(DeliveryOutcome outcome, int count) => Enumerable.Repeat(outcome, count).ToList();
}
