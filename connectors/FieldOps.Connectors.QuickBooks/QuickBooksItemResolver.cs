using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Connectors;
using Microsoft.Extensions.Options;

namespace FieldOps.Connectors.QuickBooks;

/// <summary>
/// Fills in <c>ItemRef.value</c> on invoice lines that name their item (<c>ItemRef.name</c>) but carry no id: from
/// <c>Connectors:QuickBooks:Items:{name}</c> first, else by querying Item by Name (cached for the process).
/// </summary>
internal sealed class QuickBooksItemResolver(QuickBooksClient client, IOptions<QuickBooksOptions> options)
{
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
            var name = QuickBooksPayload.Text(itemRef["name"]);
            if (name is null)
                return DeliveryOutcome.Permanent($"Invoice line {i + 1} has an ItemRef with neither value nor name.", [$"Line[{i}].SalesItemLineDetail.ItemRef"]);
            var (id, failure) = await FindAsync(name, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
                return failure;
            if (id is null)
                return DeliveryOutcome.Permanent(
                    $"No QuickBooks item is named '{name}' (invoice line {i + 1}): create it in QuickBooks or map it with Connectors:QuickBooks:Items:{name}.",
                    [$"Line[{i}].SalesItemLineDetail.ItemRef"]);
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
}
