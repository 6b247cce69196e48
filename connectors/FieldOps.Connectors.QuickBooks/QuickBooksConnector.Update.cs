using FieldOps.Integration.Core.Connectors;

namespace FieldOps.Connectors.QuickBooks;

public sealed partial class QuickBooksConnector
{
    /// <summary>
    /// Sparse update: read the current <c>SyncToken</c>, send only <c>fields</c>; on 5010 (someone else saved first)
    /// read again and retry, at most <see cref="QuickBooksOptions.MaxStaleRetries"/> times, then report a conflict.
    /// The requestid includes the SyncToken, so each re-read attempt is a new request and a lost response replays.
    /// </summary>
    private async Task<DeliveryOutcome> UpdateAsync(OutboundOperation operation, QuickBooksPayload payload, CancellationToken cancellationToken)
    {
        var id = payload.Param("id") ?? payload.Field("Id");
        if (id is null)
            return DeliveryOutcome.Permanent($"QuickBooks update of {operation.ObjectType} needs params.id.", ["id"]);

        QuickBooksReply? stale = null;
        for (var attempt = 0; attempt <= _options.Value.MaxStaleRetries; attempt++)
        {
            var current = await _client.ReadAsync(operation.ObjectType, id, cancellationToken).ConfigureAwait(false);
            if (!current.IsSuccess)
                return QuickBooksOutcomes.Classify(current);
            var syncToken = current.Entity(operation.ObjectType)?.SyncToken ?? "0";

            var body = payload.Fields.DeepClone().AsObject();
            body["Id"] = id;
            body["SyncToken"] = syncToken;
            body["sparse"] = true;
            var reply = await _client.WriteAsync(operation.ObjectType, QuickBooksRequestId.For(operation, $"update:{syncToken}"), body, cancellationToken)
                .ConfigureAwait(false);
            if (reply.IsSuccess)
                return DeliveryOutcome.Delivered(id, operation.ObjectType);
            if (!reply.HasError("5010"))
                return QuickBooksOutcomes.Classify(reply);
            stale = reply;
        }
        return DeliveryOutcome.Conflict($"Still stale after {_options.Value.MaxStaleRetries + 1} reads: {stale!.Describe()}")
            with { StatusCode = (int)stale.Status, ResponseExcerpt = stale.Excerpt };
    }
}
