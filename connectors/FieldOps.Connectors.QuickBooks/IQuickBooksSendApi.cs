using Refit;

namespace FieldOps.Connectors.QuickBooks;

/// <summary>
/// The invoice email, on a client of its own that never reuses a connection: .NET's connection pool re-sends a
/// bodiless request by itself when a reused connection closes before any answer (dotnet/runtime#86714), which for
/// <c>/send</c> is a second email. On a fresh connection a lost answer surfaces, and the dispatcher checks
/// <c>EmailStatus</c> instead.
/// </summary>
public interface IQuickBooksSendApi
{
    /// <summary><c>POST /v3/company/{realm}/invoice/{id}/send[?sendTo=…]</c> with an empty octet-stream body. Not idempotent.</summary>
    [Post("/v3/company/{realmId}/invoice/{id}/send")]
    Task<HttpResponseMessage> SendInvoiceAsync(string realmId, string id, string? sendTo, int minorversion, [Body] HttpContent empty, CancellationToken cancellationToken);
}
