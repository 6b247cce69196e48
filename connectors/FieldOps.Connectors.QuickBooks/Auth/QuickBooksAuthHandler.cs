using System.Net.Http.Headers;
using FieldOps.Integration.Core.Credentials;

namespace FieldOps.Connectors.QuickBooks;

/// <summary>
/// Puts the connection's current access token on every QuickBooks call. It never refreshes on a 401 itself: the
/// connector reports auth-expired and the dispatcher refreshes through the token store and retries once.
/// </summary>
internal sealed class QuickBooksAuthHandler(IAccessTokenProvider tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = await tokens.GetAccessTokenAsync(QuickBooksOptions.ConnectionName, cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
