using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.CrossReferences;
using Microsoft.Extensions.Logging;

namespace FieldOps.Connectors.QuickBooks;

/// <summary>
/// Find-or-create of a Customer (QuickBooks has no upsert by external id): the cross-reference first, then the
/// DisplayName — taken as ours only when the customer's Notes carry our marker <c>fieldops:{source id}</c> —, else a
/// create with <c>requestid</c>. A name held by a different client (or a vendor or employee: 6240) gets a
/// disambiguated DisplayName rather than merging two clients into one.
/// </summary>
internal sealed partial class QuickBooksCustomerUpsert(
    QuickBooksClient client, ICrossReferenceStore crossReferences, QuickBooksCustomerRefresh refresh, ILogger<QuickBooksCustomerUpsert> logger)
{
    private const string Customer = "Customer";
    private const int MaxDisplayName = 100;

    public async Task<DeliveryOutcome> UpsertAsync(OutboundOperation operation, QuickBooksPayload payload, CancellationToken cancellationToken)
    {
        var sourceId = operation.XrefSourceId ?? operation.IdempotencyKey;
        var known = await crossReferences.FindAsync(operation.Connector, Customer, sourceId, cancellationToken).ConfigureAwait(false);
        if (known is not null)
            return await refresh.BringUpToDateAsync(operation, known, payload.Fields, sourceId, cancellationToken).ConfigureAwait(false);

        var name = payload.Field("DisplayName");
        if (name is null)
            return DeliveryOutcome.Permanent("QuickBooks Customer needs fields.DisplayName.", ["DisplayName"]);
        var marker = MarkerFor(sourceId);
        var body = payload.Fields.DeepClone().AsObject();
        body["Notes"] = WithMarker(payload.Field("Notes"), marker);

        var (outcome, taken) = await FindOursAsync(name, marker, cancellationToken).ConfigureAwait(false);
        if (outcome is { IsDelivered: true, TargetId: { } ours })
            return await refresh.BringUpToDateAsync(operation, ours, payload.Fields, sourceId, cancellationToken).ConfigureAwait(false);
        if (outcome is not null)
            return outcome;
        if (!taken)
        {
            var created = await CreateAsync(operation, body, "create", cancellationToken).ConfigureAwait(false);
            if (!created.IsDuplicateName)
                return created.Outcome;
        }

        // The name belongs to someone else: a customer that is not ours, or a vendor or employee (6240).
        var alternative = Disambiguate(name, sourceId);
        (outcome, taken) = await FindOursAsync(alternative, marker, cancellationToken).ConfigureAwait(false);
        if (outcome is not null)
            return outcome;
        if (taken)
            return DeliveryOutcome.Permanent($"QuickBooks names '{name}' and '{alternative}' both belong to other customers.", ["DisplayName"]);
        body["DisplayName"] = alternative;
        var second = await CreateAsync(operation, body, "create-disambiguated", cancellationToken).ConfigureAwait(false);
        if (second.Outcome.IsDelivered)
            LogDisambiguated(logger, name, alternative, sourceId, second.Outcome.TargetId);
        return second.Outcome;
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "QuickBooks name {DisplayName} belongs to another customer, vendor or employee: created {Alternative} for source customer {SourceId} (QuickBooks id {CustomerId})")]
    private static partial void LogDisambiguated(ILogger logger, string displayName, string alternative, string sourceId, string? customerId);

    /// <summary>Our marker in a customer's Notes.</summary>
    public static string MarkerFor(string sourceId) => $"fieldops:{sourceId}";

    /// <summary>"Name (FS-42)", cut so the whole stays within QuickBooks' 100 characters.</summary>
    public static string Disambiguate(string name, string sourceId)
    {
        var suffix = $" (FS-{sourceId})";
        var room = Math.Max(1, MaxDisplayName - suffix.Length);
        return (name.Length > room ? name[..room].TrimEnd() : name) + suffix;
    }

    public static bool HasMarker(string? notes, string marker) =>
        notes is not null && notes.Split([' ', '\n', '\r', '\t', ';', ','], StringSplitOptions.RemoveEmptyEntries).Contains(marker, StringComparer.Ordinal);

    private static string WithMarker(string? notes, string marker) =>
        HasMarker(notes, marker) ? notes! : string.IsNullOrEmpty(notes) ? marker : $"{notes}\n{marker}";

    /// <summary>Looks the name up: an outcome when it is ours (delivered) or the query failed; else whether someone holds it.</summary>
    private async Task<(DeliveryOutcome? Outcome, bool Taken)> FindOursAsync(string name, string marker, CancellationToken cancellationToken)
    {
        var reply = await client.QueryAsync($"select * from Customer where DisplayName = {QuickBooksClient.Quote(name)}", cancellationToken)
            .ConfigureAwait(false);
        if (!reply.IsSuccess)
            return (QuickBooksOutcomes.Classify(reply), false);
        var found = reply.QueryResults(Customer);
        var ours = found.FirstOrDefault(c => HasMarker(c.Notes, marker) && c.Id is not null);
        return ours is not null ? (DeliveryOutcome.Delivered(ours.Id, Customer), true) : (null, found.Count > 0);
    }

    private async Task<(DeliveryOutcome Outcome, bool IsDuplicateName)> CreateAsync(
        OutboundOperation operation, JsonObject body, string step, CancellationToken cancellationToken)
    {
        var reply = await client.WriteAsync(Customer, QuickBooksRequestId.For(operation, step), body, cancellationToken).ConfigureAwait(false);
        if (reply.IsSuccess && reply.Entity(Customer)?.Id is { } id)
            return (DeliveryOutcome.Delivered(id, Customer), false);
        return (QuickBooksOutcomes.Classify(reply), reply.HasError("6240"));
    }
}
