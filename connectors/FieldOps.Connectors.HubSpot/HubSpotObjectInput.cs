using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace FieldOps.Connectors.HubSpot;

/// <summary>The body of a single create or update: properties and, for a create, associations.</summary>
public sealed record HubSpotObjectInput(JsonObject Properties)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<HubSpotAssociation>? Associations { get; init; }
}
