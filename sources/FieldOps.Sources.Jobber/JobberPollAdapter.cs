using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Hydration;
using FieldOps.Integration.Core.Sources;
using Microsoft.Extensions.Options;

namespace FieldOps.Sources.Jobber;

/// <summary>
/// The Jobber catch-up sweep: reads one entity's connection changed since the watermark, 100 nodes a page with Relay
/// cursors, and stores each node as a hydrated webhook (<c>{"data":{"webHookEvent":{…}},"record":{…}}</c>) so the
/// Jobber profile reads it exactly as it reads a hydrated webhook. The dedup key is the entity, id and
/// <c>updatedAt</c>; the version ledger skips a change its webhook already brought.
/// </summary>
public sealed class JobberPollAdapter(JobberGraphQLClient client, IOptionsMonitor<JobberSourcesOptions> options) : IPollAdapter
{
    /// <summary>The adapter's name in <c>Sources:{name}:Poll:Adapter</c>.</summary>
    public const string AdapterName = "jobber";

    public async Task<PollPage> FetchPageAsync(PollRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var poll = options.CurrentValue.TryGetValue(request.Source, out var o) ? o.Poll : new JobberPollOptions();
        var connection = JobberEntities.Connection(poll.Entity);
        var filter = request.Since is null ? "" : $", filter: {{ {poll.SinceFilter}: $since }}";
        var query = $"query Sweep($cursor: String, $since: ISO8601DateTime) {{ {connection}(first: {poll.PageSize}, after: $cursor{filter}) " +
                    $"{{ nodes {{ {JobberEntities.Selection(poll.Entity)} }} pageInfo {{ endCursor hasNextPage }} }} }}";
        var variables = new JsonObject { ["cursor"] = request.Cursor, ["since"] = request.Since?.ToString("O", System.Globalization.CultureInfo.InvariantCulture) };
        var response = await client.QueryAsync(request.Source, query, variables, cancellationToken).ConfigureAwait(false);
        var page = response.Data?[connection];
        var records = new List<PolledRecord>();
        foreach (var node in page?["nodes"] as JsonArray ?? [])
        {
            if (node?["id"]?.GetValue<string>() is not { } id)
                continue;
            var version = SourceVersion.Read(node["updatedAt"]);
            var payload = new JsonObject
            {
                ["data"] = new JsonObject
                {
                    ["webHookEvent"] = new JsonObject
                    {
                        ["topic"] = poll.Topic, ["itemId"] = id, ["occurredAt"] = node["updatedAt"]?.DeepClone(), ["sweep"] = true,
                    },
                },
                [HydrationHook.RecordProperty] = node.DeepClone(),
            };
            records.Add(new PolledRecord($"{poll.Entity}:{id}:{version?.ToUnixTimeMilliseconds()}", poll.Entity, id, version, poll.Topic, payload.ToJsonString()));
        }
        // A cursor holding half a surrogate pair would name another page: refused, naming the source.
        var next = response.Answer.Cursor(request.Source, NextCursor(page), json => NextCursor((JsonNode.Parse(json) as JsonObject)?["data"]?[connection]));
        return new PollPage(records, next);
    }

    private static string? NextCursor(JsonNode? page)
    {
        var info = page?["pageInfo"];
        return info?["hasNextPage"]?.GetValue<bool>() == true ? info["endCursor"]?.GetValue<string>() : null;
    }
}
