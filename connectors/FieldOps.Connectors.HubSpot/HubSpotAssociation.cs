namespace FieldOps.Connectors.HubSpot;

/// <summary>An association made on create: <c>{"to": {"id"}, "types": [{"associationCategory", "associationTypeId"}]}</c>.</summary>
public sealed record HubSpotAssociation(HubSpotObjectId To, IReadOnlyList<HubSpotAssociationType> Types);

/// <summary>The id of the object associated to.</summary>
public sealed record HubSpotObjectId(string Id);

/// <summary>An association type, e.g. HUBSPOT_DEFINED 228 (note → ticket).</summary>
public sealed record HubSpotAssociationType(string AssociationCategory, int AssociationTypeId);
