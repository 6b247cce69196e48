using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Connectors;
using Microsoft.Extensions.Options;

namespace FieldOps.Connectors.QuickBooks;

/// <summary>
/// Fills in <c>ItemRef.value</c> on invoice lines that name their product or service (<c>ItemRef.name</c>) but carry no
/// id: the item table <c>Connectors:QuickBooks:Items:{name}</c> first, then an Item of that name (cached for the
/// process), then <see cref="QuickBooksOptions.MissingItem"/>: the fallback item, a Service item created once (its
/// <c>requestid</c> derives from the name, so a retry replays it; <c>PurchaseDesc</c> carries our marker), or a
/// dead letter naming the item.
/// </summary>
internal sealed class QuickBooksItemResolver(QuickBooksClient client, IOptions<QuickBooksOptions> options)
{
    /// <summary>The marker in <c>PurchaseDesc</c> of the items we create.</summary>
    public const string Marker = "fieldops:item";

    private readonly ConcurrentDictionary<string, string> _found = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Resolves every line in place; returns an outcome only when one cannot be resolved.</summary>
    public async Task<DeliveryOutcome?> ResolveAsync(JsonObject entity, CancellationToken cancellationToken)
    {
        if (entity["Line"] is not JsonArray lines)
            return null;
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i]?["SalesItemLineDetail"]?["ItemRef"] is not JsonObject itemRef || QuickBooksPayload.Text(itemRef["value"]) is not null)
                continue;
            var field = $"Line[{i}].SalesItemLineDetail.ItemRef";
            var name = QuickBooksPayload.Text(itemRef["name"]);
            if (name is null)
                return DeliveryOutcome.Permanent($"Invoice line {i + 1} has an ItemRef with neither value nor name.", [field]);
            var (id, failure) = await FindAsync(name, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
                return failure;
            if (id is null)
            {
                (id, failure) = await MissingAsync(name, i, field, cancellationToken).ConfigureAwait(false);
                if (failure is not null)
                    return failure;
                itemRef.Remove("name"); // the fallback item has its own name; QuickBooks fills it in
            }
            itemRef["value"] = id;
        }
        return null;
    }

    private async Task<(string? Id, DeliveryOutcome? Failure)> FindAsync(string name, CancellationToken cancellationToken)
    {
        if (options.Value.Items.TryGetValue(name, out var configured) && !string.IsNullOrWhiteSpace(configured))
            return (configured, null);
        if (_found.TryGetValue(name, out var cached))
            return (cached, null);
        var reply = await client.QueryAsync($"select * from Item where Name = {QuickBooksClient.Quote(name)}", cancellationToken).ConfigureAwait(false);
        if (!reply.IsSuccess)
            return (null, QuickBooksOutcomes.Classify(reply));
        var id = reply.QueryResults("Item").FirstOrDefault(i => i.Id is not null)?.Id;
        if (id is not null)
            _found[name] = id;
        return (id, null);
    }

    private async Task<(string? Id, DeliveryOutcome? Failure)> MissingAsync(string name, int index, string field, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        switch (settings.MissingItem)
        {
            case QuickBooksMissingItem.Fallback:
                return (settings.FallbackItem, null);
            case QuickBooksMissingItem.Create:
                var body = new JsonObject
                {
                    ["Name"] = name,
                    ["Type"] = "Service",
                    ["IncomeAccountRef"] = new JsonObject { ["value"] = settings.NewItemIncomeAccount },
                    ["PurchaseDesc"] = Marker,
                };
                var reply = await client.WriteAsync("Item", QuickBooksRequestId.ForKey($"item|{name.ToUpperInvariant()}"), body, cancellationToken)
                    .ConfigureAwait(false);
                if (!reply.IsSuccess || reply.Entity("Item")?.Id is not { } created)
                    return (null, QuickBooksOutcomes.Classify(reply));
                _found[name] = created;
                return (created, null);
            default:
                return (null, DeliveryOutcome.Permanent(
                    $"No QuickBooks item is named '{name}' (invoice line {index + 1}): create it in QuickBooks, map it with " +
                    $"Connectors:QuickBooks:Items:{name} = <Item id>, or set Connectors:QuickBooks:MissingItem to Fallback or Create.",
                    [field]));
        }
    }
}
