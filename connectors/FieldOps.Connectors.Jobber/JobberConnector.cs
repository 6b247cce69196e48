using System.Text.Json.Nodes;
using FieldOps.Integration.Core.CrossReferences;
using FieldOps.Integration.Core.Connectors;
using Microsoft.Extensions.Options;

namespace FieldOps.Connectors.Jobber;

/// <summary>
/// Jobber as a target, through GraphQL mutations (docs/operations.md, <c>jobber</c>):
/// <c>upsert Client</c> (found by e-mail, else created), <c>create Request</c>, <c>note</c> on a Job, Client or
/// Request, <c>create Event</c> and <c>delete Event</c> (a technician's time off). Jobber has no upsert and no
/// idempotency key, so every create is treated as not idempotent: a retry first looks for the effect of the earlier
/// attempt (the client's request with the same title; a note carrying our marker) and only sends again when it is not there.
/// </summary>
public sealed partial class JobberConnector(JobberGraphQL graphql, ICrossReferenceStore xrefs, IOptions<JobberOptions> options) : IConnector, IEffectChecker
{
    public const string ConnectorName = "jobber";

    private readonly JobberOptions _options = options.Value;

    public string Name => ConnectorName;

    /// <summary>The line a note ends with, so a resend after a lost answer can be detected.</summary>
    public static string Marker(string operationId) => $"[fieldops:{operationId}]";

    public bool IsNonIdempotent(OutboundOperation operation) =>
        operation is not null && (operation.Operation is OperationNames.Create or OperationNames.Note);

    public async Task<DeliveryOutcome> DeliverAsync(OutboundOperation operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (!_options.Enabled)
            return DeliveryOutcome.ConnectionBroken($"The Jobber connector is disabled ({JobberOptions.SectionName}:Enabled).");
        var payload = operation.Payload;
        // A retry of a create first looks for the earlier attempt's effect: its answer may have been lost after Jobber applied it.
        if (IsNonIdempotent(operation) && (operation.Attempt > 1 || operation.MayHaveBeenApplied))
        {
            var (found, targetId, failure) = await FindEffectAsync(operation, payload, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
                return failure;
            if (found)
                return DeliveryOutcome.Delivered(targetId, operation.ObjectType);
        }
        return (operation.Operation, operation.ObjectType) switch
        {
            (OperationNames.Upsert, "Client") => await UpsertClientAsync(payload, cancellationToken).ConfigureAwait(false),
            (OperationNames.Create, "Request") => await CreateAsync(JobberDocuments.RequestCreate, "requestCreate", "request", payload, cancellationToken).ConfigureAwait(false),
            (OperationNames.Create, "Event") => await CreateAsync(JobberDocuments.EventCreate, "eventCreate", "event", payload, cancellationToken).ConfigureAwait(false),
            (OperationNames.Delete, "Event") => await DeleteEventAsync(payload, cancellationToken).ConfigureAwait(false),
            (OperationNames.Note, _) => await CreateNoteAsync(operation, payload, cancellationToken).ConfigureAwait(false),
            _ => DeliveryOutcome.Permanent(
                $"jobber does not support {operation.Operation} {operation.ObjectType} (upsert Client, create Request, create Event, delete Event, note on Job/Client/Request)."),
        };
    }

    private async Task<DeliveryOutcome> UpsertClientAsync(OperationPayload payload, CancellationToken cancellationToken)
    {
        if (payload.Param("matchEmail") is not { } email)
            return DeliveryOutcome.Permanent("jobber upsert Client needs params.matchEmail: Jobber has no upsert, so the client is found by e-mail first.");
        var (existing, failure) = await FindClientAsync(email, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
            return failure;
        if (existing is not null)
            return DeliveryOutcome.Delivered(existing, "Client");
        return await CreateAsync(JobberDocuments.ClientCreate, "clientCreate", "client", payload, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The id of a client with exactly this e-mail (case-insensitive), found through Jobber's search.</summary>
    private async Task<(string? Id, DeliveryOutcome? Failure)> FindClientAsync(string email, CancellationToken cancellationToken)
    {
        var answer = await graphql.SendAsync(JobberDocuments.FindClients, new JsonObject { ["term"] = email, ["first"] = _options.LookupPageSize }, cancellationToken)
            .ConfigureAwait(false);
        if (answer.Failure is not null)
            return (null, answer.Failure);
        var match = (answer.Data?["clients"]?["nodes"] as JsonArray ?? [])
            .FirstOrDefault(c => (c?["emails"] as JsonArray ?? []).Any(e => string.Equals(e?["address"]?.ToString(), email, StringComparison.OrdinalIgnoreCase)));
        return (match?["id"]?.ToString(), null);
    }

    private async Task<DeliveryOutcome> CreateAsync(string document, string mutation, string objectField, OperationPayload payload, CancellationToken cancellationToken)
    {
        var answer = await graphql.SendAsync(document, new JsonObject { ["input"] = payload.Fields.DeepClone() }, cancellationToken).ConfigureAwait(false);
        if (answer.Failure is not null)
            return answer.Failure;
        var (created, refused) = answer.Mutation(mutation);
        if (refused is not null)
            return refused;
        return created?[objectField]?["id"]?.ToString() is { Length: > 0 } id
            ? DeliveryOutcome.Delivered(id)
            : DeliveryOutcome.Transient($"Jobber {mutation} answered without an id.");
    }

    /// <summary>
    /// Deletes the event <c>params.id</c>, or the one written for <c>params.sourceId</c> (its cross-reference): time
    /// off canceled before it was ever approved has no event, and nothing is left to remove.
    /// </summary>
    private async Task<DeliveryOutcome> DeleteEventAsync(OperationPayload payload, CancellationToken cancellationToken)
    {
        var id = payload.Param("id");
        if (id is null && payload.Param("sourceId") is { } sourceId)
        {
            id = await xrefs.FindAsync(ConnectorName, "Event", sourceId, cancellationToken).ConfigureAwait(false);
            if (id is null)
                return DeliveryOutcome.Delivered(null, "Event");
        }
        if (id is null)
            return DeliveryOutcome.Permanent("jobber delete Event needs params.id (the event's EncodedId) or params.sourceId (whose event to remove).");
        var answer = await graphql.SendAsync(JobberDocuments.EventDelete, new JsonObject { ["id"] = id }, cancellationToken).ConfigureAwait(false);
        if (answer.Failure is not null)
            return answer.Failure;
        var (_, refused) = answer.Mutation("eventDelete");
        return refused ?? DeliveryOutcome.Delivered(id);
    }

    private async Task<DeliveryOutcome> CreateNoteAsync(OutboundOperation operation, OperationPayload payload, CancellationToken cancellationToken)
    {
        if (!JobberDocuments.Notes.TryGetValue(operation.ObjectType, out var documents))
            return DeliveryOutcome.Permanent($"jobber note: objectType must be Job, Client or Request, found '{operation.ObjectType}'.");
        if (payload.Param("id") is not { } id)
            return DeliveryOutcome.Permanent($"jobber note on {operation.ObjectType} needs params.id (the record's EncodedId).");
        var input = payload.Fields.DeepClone().AsObject();
        input["message"] = $"{payload.Field("message")}\n\n{Marker(operation.Id)}";
        var answer = await graphql.SendAsync(documents.Create, new JsonObject { ["id"] = id, ["input"] = input }, cancellationToken).ConfigureAwait(false);
        if (answer.Failure is not null)
            return answer.Failure;
        var (created, refused) = answer.Mutation(documents.Mutation);
        if (refused is not null)
            return refused;
        return DeliveryOutcome.Delivered(created?[documents.PayloadField]?["id"]?.ToString(), "Note");
    }
}
