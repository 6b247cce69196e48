using System.Text.Json.Nodes;
using Refit;

namespace FieldOps.Connectors.QuickBooks;

/// <summary>
/// The QuickBooks Online Accounting API v3 calls the connector makes. Every method returns the raw response: QuickBooks
/// puts faults inside HTTP 200, so <see cref="QuickBooksReply"/> reads every body whatever the status.
/// </summary>
public interface IQuickBooksApi
{
    /// <summary><c>GET /v3/company/{realm}/query?query=…</c>.</summary>
    [Get("/v3/company/{realmId}/query")]
    Task<HttpResponseMessage> QueryAsync(string realmId, string query, int minorversion, CancellationToken cancellationToken);

    /// <summary><c>GET /v3/company/{realm}/{entity}/{id}</c>.</summary>
    [Get("/v3/company/{realmId}/{entity}/{id}")]
    Task<HttpResponseMessage> ReadAsync(string realmId, string entity, string id, int minorversion, CancellationToken cancellationToken);

    /// <summary><c>GET /v3/company/{realm}/preferences</c>: the company's settings (one per company, no id).</summary>
    [Get("/v3/company/{realmId}/preferences")]
    Task<HttpResponseMessage> PreferencesAsync(string realmId, int minorversion, CancellationToken cancellationToken);

    /// <summary><c>POST /v3/company/{realm}/{entity}?requestid=…</c>: create, or sparse update when the body has Id and SyncToken.</summary>
    [Post("/v3/company/{realmId}/{entity}")]
    Task<HttpResponseMessage> WriteAsync(string realmId, string entity, string requestid, int minorversion, [Body] JsonObject body, CancellationToken cancellationToken);
}
