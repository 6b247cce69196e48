namespace FieldOps.Integration.Core.Mapping.TargetSchemas;

/// <summary>A target's answer about one object (Salesforce <c>describe</c>, HubSpot's properties), as fetched.</summary>
/// <param name="Connector"><c>salesforce</c> or <c>hubspot</c>.</param>
/// <param name="ObjectType">The object as flows name it (<c>Account</c>, <c>tickets</c>).</param>
/// <param name="Body">The vendor's JSON answer, unchanged.</param>
/// <param name="FetchedAt">When it was read.</param>
public sealed record CachedTargetSchema(string Connector, string ObjectType, string Body, DateTimeOffset FetchedAt);

/// <summary>The store's copy of the targets' schemas read online, so later checks (<c>--offline</c>) need no call.</summary>
public interface ITargetSchemaCache
{
    Task SaveAsync(CachedTargetSchema schema, CancellationToken cancellationToken);

    Task<IReadOnlyList<CachedTargetSchema>> ListAsync(CancellationToken cancellationToken);
}
