using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Connectors;

namespace FieldOps.Connectors.Jobber;

/// <summary>Effect checks: was a create whose answer we never got applied by Jobber after all?</summary>
public sealed partial class JobberConnector
{
    public async Task<(EffectCheck Result, string? TargetId)> CheckEffectAsync(OutboundOperation operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (!IsNonIdempotent(operation))
            return (EffectCheck.NotApplied, null);
        var (found, targetId, failure) = await FindEffectAsync(operation, operation.Payload, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            // A passing fault: the dispatcher asks again later. A permanent one: nobody can tell.
            if (failure.Kind == OutcomeKind.Permanent)
                return (EffectCheck.Unknown, null);
            throw new HttpRequestException($"Jobber effect check: {failure.Kind}: {failure.Message}");
        }
        return found ? (EffectCheck.Applied, targetId) : (EffectCheck.NotApplied, null);
    }

    /// <summary>
    /// Looks for what an earlier attempt of <paramref name="operation"/> created: a request of the same client with the
    /// same title (the flow puts the CRM record's reference in it), or a note ending with our marker. A create with no
    /// such trace (an Event) cannot be checked: the operation then counts as possibly applied and is not resent.
    /// </summary>
    private async Task<(bool Found, string? TargetId, DeliveryOutcome? Failure)> FindEffectAsync(
        OutboundOperation operation, OperationPayload payload, CancellationToken cancellationToken)
    {
        switch (operation.Operation, operation.ObjectType)
        {
            case (OperationNames.Create, "Request"):
            {
                if (payload.Field("clientId") is not { } clientId || payload.Field("title") is not { } title)
                    return (false, null, DeliveryOutcome.Permanent("jobber create Request needs fields.clientId and fields.title (the title identifies a resend)."));
                var answer = await graphql.SendAsync(JobberDocuments.ClientRequests, new JsonObject { ["id"] = clientId, ["first"] = _options.LookupPageSize }, cancellationToken)
                    .ConfigureAwait(false);
                if (answer.Failure is not null)
                    return (false, null, answer.Failure);
                var match = (answer.Data?["client"]?["requests"]?["nodes"] as JsonArray ?? [])
                    .FirstOrDefault(r => string.Equals(r?["title"]?.ToString(), title, StringComparison.Ordinal));
                return (match is not null, match?["id"]?.ToString(), null);
            }
            case (OperationNames.Note, _) when JobberDocuments.Notes.TryGetValue(operation.ObjectType, out var documents) && payload.Param("id") is { } id:
            {
                var answer = await graphql.SendAsync(documents.List, new JsonObject { ["id"] = id, ["first"] = _options.LookupPageSize }, cancellationToken)
                    .ConfigureAwait(false);
                if (answer.Failure is not null)
                    return (false, null, answer.Failure);
                var marker = Marker(operation.Id);
                var match = (answer.Data?["record"]?["notes"]?["nodes"] as JsonArray ?? [])
                    .FirstOrDefault(n => n?["message"]?.ToString().Contains(marker, StringComparison.Ordinal) == true);
                return (match is not null, match?["id"]?.ToString(), null);
            }
            default:
                return (false, null, DeliveryOutcome.Permanent(
                    $"jobber {operation.Operation} {operation.ObjectType}: an earlier attempt may have been applied and Jobber offers no way to check; replay or discard."));
        }
    }
}
