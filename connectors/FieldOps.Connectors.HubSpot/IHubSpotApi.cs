using Refit;

namespace FieldOps.Connectors.HubSpot;

/// <summary>
/// The HubSpot CRM object resources the connector uses, under a configurable objects path (<c>crm/v3/objects</c>).
/// Responses come back raw so that <see cref="HubSpotErrorClassifier"/> classifies every status in one place.
/// </summary>
public interface IHubSpotApi
{
    /// <summary>Batch upsert by a unique property: 200, or 207 with per-input errors.</summary>
    [Post("/{**objectsPath}/{objectType}/batch/upsert")]
    Task<HttpResponseMessage> BatchUpsertAsync(string objectsPath, string objectType, [Body] HubSpotBatchInput body, CancellationToken cancellationToken);

    /// <summary>Update one object found by a unique property value (no create).</summary>
    [Patch("/{**objectsPath}/{objectType}/{id}")]
    Task<HttpResponseMessage> UpdateAsync(string objectsPath, string objectType, string id, [Query] string idProperty, [Body] HubSpotObjectInput body, CancellationToken cancellationToken);

    /// <summary>Create one object (notes: with associations): 201.</summary>
    [Post("/{**objectsPath}/{objectType}")]
    Task<HttpResponseMessage> CreateAsync(string objectsPath, string objectType, [Body] HubSpotObjectInput body, CancellationToken cancellationToken);

    /// <summary>
    /// Associates two records with the default (unlabelled) association type: <c>PUT /crm/v4/objects/{from}/{id}/associations/default/{to}/{toId}</c>.
    /// Idempotent: associating twice leaves one association.
    /// </summary>
    [Put("/crm/v4/objects/{fromObjectType}/{fromId}/associations/default/{toObjectType}/{toId}")]
    Task<HttpResponseMessage> AssociateAsync(string fromObjectType, string fromId, string toObjectType, string toId, CancellationToken cancellationToken);

    /// <summary>An object type's properties (standard and custom): names, types, options, read-only flags.</summary>
    [Get("/crm/v3/properties/{objectType}")]
    Task<HttpResponseMessage> PropertiesAsync(string objectType, CancellationToken cancellationToken);

    /// <summary>CRM search.</summary>
    [Post("/{**objectsPath}/{objectType}/search")]
    Task<HttpResponseMessage> SearchAsync(string objectsPath, string objectType, [Body] HubSpotSearchRequest body, CancellationToken cancellationToken);

    /// <summary>A page of objects (the connection check's cheap read).</summary>
    [Get("/{**objectsPath}/{objectType}")]
    Task<HttpResponseMessage> ListAsync(string objectsPath, string objectType, [Query] int limit, CancellationToken cancellationToken);
}
