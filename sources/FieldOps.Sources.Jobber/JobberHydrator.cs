using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Hydration;
using FieldOps.Integration.Core.Sources;

namespace FieldOps.Sources.Jobber;

/// <summary>
/// Fetches the entity a thin Jobber webhook names (<c>data.webHookEvent.itemId</c>, its type from the topic) with the
/// fields the Jobber source profile reads. The record's <c>updatedAt</c> is its source version.
/// </summary>
public sealed class JobberHydrator(JobberGraphQLClient client) : IRecordHydrator
{
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
        var record = response.Data?[entity.Field];
        return new HydratedRecord(record?.DeepClone(), SourceVersion.Read(record?["updatedAt"]));
    }
}
