using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Hydration;
using FieldOps.Integration.Core.Sources;
using Microsoft.Extensions.Configuration;

namespace FieldOps.Sources.Jobber;

/// <summary>
/// Fetches the entity a thin Jobber webhook names (<c>data.webHookEvent.itemId</c>, its type from the topic) with the
/// fields the Jobber source profile reads. The record's <c>updatedAt</c> is its source version.
/// </summary>
public sealed class JobberHydrator(JobberGraphQLClient client) : IRecordHydrator
{
    // GraphQL is at {ApiBaseUrl}graphql; the token call needs the app's client id (the secret is the webhook secret,
    // checked with intake) and the first refresh token of the app's authorisation.
    private static readonly string[] FetchSettings = ["ApiBaseUrl", "ClientId", "RefreshToken"];

    public IReadOnlyList<string> MissingSettings(IConfigurationSection source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return FetchSettings.Where(key => string.IsNullOrWhiteSpace(source[key])).ToList();
    }

    public HydrationRequest? Describe(string source, JsonNode payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var webhook = payload["data"]?["webHookEvent"];
        if (webhook?["topic"] is not JsonValue topicValue || !topicValue.TryGetValue<string>(out var topic))
            return null;
        if (webhook["itemId"] is not JsonValue itemValue || !itemValue.TryGetValue<string>(out var itemId) || itemId.Length == 0)
            return null;
        return JobberEntities.ForTopic(topic) is { } entity ? new HydrationRequest(source, entity.EntityType, itemId, topic) : null;
    }

    public async Task<HydratedRecord> FetchAsync(HydrationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var entity = JobberEntities.ForType(request.EntityType);
        var response = await client.QueryAsync(request.Source, entity.Query, new JsonObject { ["id"] = request.EntityId }, cancellationToken)
            .ConfigureAwait(false);
        var record = response.Data?[entity.Field]?.DeepClone();
        if (record is JsonObject job && entity.EntityType == "Job")
            await PageAsync(request, job, cancellationToken).ConfigureAwait(false);
        return new HydratedRecord(record, SourceVersion.Read(record?["updatedAt"]));
    }

    /// <summary>
    /// Completes each of the job's connections that has more than the first page (a job with 60 line items): the
    /// next pages, 100 nodes each, appended in order — so the invoice gets every line. Bounded per connection.
    /// </summary>
    private async Task PageAsync(HydrationRequest request, JsonObject job, CancellationToken cancellationToken)
    {
        const int MaxPages = 20;
        foreach (var connection in JobberEntities.JobConnections)
        {
            if (job[connection.Name] is not JsonObject found || found["nodes"] is not JsonArray nodes)
                continue;
            for (var page = 0; page < MaxPages && More(found) is { } after; page++)
            {
                var response = await client.QueryAsync(request.Source, JobberEntities.JobPageQuery(connection),
                    new JsonObject { ["id"] = request.EntityId, ["after"] = after }, cancellationToken).ConfigureAwait(false);
                if (response.Data?["job"]?[connection.Name] is not JsonObject next)
                    break;
                foreach (var node in (next["nodes"] as JsonArray ?? []).ToList())
                    nodes.Add(node?.DeepClone());
                found["pageInfo"] = next["pageInfo"]?.DeepClone();
            }
        }
    }

    private static string? More(JsonObject connection) =>
        connection["pageInfo"] is JsonObject info && info["hasNextPage"] is JsonValue more && more.TryGetValue<bool>(out var yes) && yes
            && info["endCursor"] is JsonValue cursor && cursor.TryGetValue<string>(out var after) ? after : null;
}
