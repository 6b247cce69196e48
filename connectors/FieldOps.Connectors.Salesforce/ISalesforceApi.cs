using System.Text.Json.Nodes;
using Refit;

namespace FieldOps.Connectors.Salesforce;

/// <summary>
/// The Salesforce REST resources the connector uses. Paths are relative to the org's <c>instance_url</c>, which
/// <see cref="SalesforceAuthHandler"/> puts in front of each request. Responses come back raw so that
/// <see cref="SalesforceErrorClassifier"/> classifies every status in one place.
/// </summary>
public interface ISalesforceApi
{
    /// <summary>Upsert by external id: 201 created, 200 updated, 300 several records match.</summary>
    [Patch("/services/data/{version}/sobjects/{sObject}/{externalIdField}/{externalId}")]
    Task<HttpResponseMessage> UpsertAsync(string version, string sObject, string externalIdField, string externalId, [Body] JsonObject fields, CancellationToken cancellationToken);

    /// <summary>Update one record by id: 204.</summary>
    [Patch("/services/data/{version}/sobjects/{sObject}/{id}")]
    Task<HttpResponseMessage> UpdateAsync(string version, string sObject, string id, [Body] JsonObject fields, CancellationToken cancellationToken);

    /// <summary>Create one record: 201 with the new id.</summary>
    [Post("/services/data/{version}/sobjects/{sObject}")]
    Task<HttpResponseMessage> CreateAsync(string version, string sObject, [Body] JsonObject fields, CancellationToken cancellationToken);

    /// <summary>A SOQL query.</summary>
    [Get("/services/data/{version}/query")]
    Task<HttpResponseMessage> QueryAsync(string version, [AliasAs("q")] string soql, CancellationToken cancellationToken);

    /// <summary>An sObject's describe: its fields with their types, picklist values and whether they can be written.</summary>
    [Get("/services/data/{version}/sobjects/{sObject}/describe")]
    Task<HttpResponseMessage> DescribeAsync(string version, string sObject, CancellationToken cancellationToken);

    /// <summary>The org's limits (a cheap read for the connection check).</summary>
    [Get("/services/data/{version}/limits")]
    Task<HttpResponseMessage> LimitsAsync(string version, CancellationToken cancellationToken);
}
