using System.Text.Json;
using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Connectors;

namespace FieldOps.Connectors.QuickBooks;

/// <summary>
/// Keeps an existing customer of ours up to date: reads it, and only when a mapped field differs sends a sparse
/// update of the differing fields with the current <c>SyncToken</c>. Notes (which carry our marker and perhaps an
/// admin's words) are left alone, and a customer we had to name "Name (FS-42)" keeps that name.
/// </summary>
internal sealed class QuickBooksCustomerRefresh(QuickBooksClient client)
{
    private const string Customer = "Customer";

    public async Task<DeliveryOutcome> BringUpToDateAsync(
        OutboundOperation operation, string id, JsonObject desired, string sourceId, CancellationToken cancellationToken)
    {
        var current = await client.ReadAsync(Customer, id, cancellationToken).ConfigureAwait(false);
        if (!current.IsSuccess)
            return QuickBooksOutcomes.Classify(current);
        var entity = current.EntityJson(Customer);
        if (entity is null)
            return DeliveryOutcome.Transient($"QuickBooks answered the read of Customer {id} without the customer: {current.Excerpt}");

        var changes = new JsonObject();
        foreach (var (key, value) in desired)
        {
            if (value is null || key is "Notes" or "Id" or "SyncToken" || KeepsDisambiguatedName(key, value, entity, sourceId)
                || SameEmailAddress(key, entity[key], value))
                continue;
            if (!Contains(entity[key], value))
                changes[key] = value.DeepClone();
        }
        if (changes.Count == 0)
            return DeliveryOutcome.Delivered(id, Customer);

        var syncToken = QuickBooksPayload.Text(entity["SyncToken"]) ?? "0";
        changes["Id"] = id;
        changes["SyncToken"] = syncToken;
        changes["sparse"] = true;
        var reply = await client.WriteAsync(Customer, QuickBooksRequestId.For(operation, $"update:{id}:{syncToken}"), changes, cancellationToken)
            .ConfigureAwait(false);
        return reply.IsSuccess ? DeliveryOutcome.Delivered(id, Customer) : QuickBooksOutcomes.Classify(reply);
    }

    private static bool KeepsDisambiguatedName(string key, JsonNode value, JsonObject entity, string sourceId) =>
        key == "DisplayName" && QuickBooksPayload.Text(value) is { } name
        && QuickBooksPayload.Text(entity["DisplayName"]) == QuickBooksCustomerUpsert.Disambiguate(name, sourceId);

    /// <summary>
    /// An e-mail address that differs only in case is the same mailbox (the field-service product and the bookkeeper
    /// spell it differently): not a change worth a write (<c>PrimaryEmailAddr</c>, <c>BillEmail</c>… <c>{"Address": …}</c>).
    /// </summary>
    private static bool SameEmailAddress(string key, JsonNode? current, JsonNode desired) =>
        (key.EndsWith("EmailAddr", StringComparison.Ordinal) || key.EndsWith("Email", StringComparison.Ordinal))
        && QuickBooksPayload.Text(current?["Address"]) is { } have && QuickBooksPayload.Text(desired["Address"]) is { } want
        && string.Equals(have.Trim(), want.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <summary>True when <paramref name="current"/> already holds <paramref name="desired"/> (objects may carry more, e.g. an address Id).</summary>
    internal static bool Contains(JsonNode? current, JsonNode desired) => desired switch
    {
        JsonObject wanted => current is JsonObject have && wanted.All(p => p.Value is null || Contains(have[p.Key], p.Value)),
        JsonArray => JsonNode.DeepEquals(current, desired),
        JsonValue wanted => current is JsonValue have && SameValue(have, wanted),
        _ => false,
    };

    private static bool SameValue(JsonValue have, JsonValue wanted) =>
        (have.GetValueKind(), wanted.GetValueKind()) switch
        {
            (JsonValueKind.Number, JsonValueKind.Number) => have.GetValue<decimal>() == wanted.GetValue<decimal>(),
            (JsonValueKind.String, JsonValueKind.String) => have.GetValue<string>() == wanted.GetValue<string>(),
            var (a, b) => a == b && a is JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null,
        };
}
