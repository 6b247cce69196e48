using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Credentials;
using Microsoft.Extensions.Options;

namespace FieldOps.Connectors.QuickBooks;

/// <summary>
/// <c>fieldops connectors check</c> for QuickBooks: an access token from the store (refreshing if due), then the
/// cheapest read, <c>GET /companyinfo/{realm}</c>.
/// </summary>
internal sealed class QuickBooksConnectionCheck(IAccessTokenProvider tokens, QuickBooksClient client, IOptions<QuickBooksOptions> options)
    : IConnectionCheck
{
    public string Name => QuickBooksConnector.ConnectorName;

    public async Task<IReadOnlyList<ConnectionCheckStep>> CheckAsync(CancellationToken cancellationToken)
    {
        var steps = new List<ConnectionCheckStep>();
        try
        {
            var token = await tokens.GetAccessTokenAsync(QuickBooksOptions.ConnectionName, cancellationToken).ConfigureAwait(false);
            steps.Add(new("token", true, $"access token for {QuickBooksOptions.ConnectionName}, expires {token.ExpiresAt:O}"));
        }
        catch (Exception e) when (e is ConnectionBrokenException or HttpRequestException or InvalidOperationException or TimeoutException or TaskCanceledException)
        {
            steps.Add(new("token", false, e.Message));
            steps.Add(new("read", false, "skipped: no access token"));
            return steps;
        }

        var realm = options.Value.RealmId;
        try
        {
            var reply = await client.ReadAsync("CompanyInfo", realm, cancellationToken).ConfigureAwait(false);
            steps.Add(reply.IsSuccess
                ? new("read", true, $"company '{reply.Entity("CompanyInfo")?.CompanyName}' (realm {realm}) at {options.Value.BaseUrl}")
                : new("read", false, reply.Describe()));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            steps.Add(new("read", false, $"{options.Value.BaseUrl} unreachable: {e.Message}"));
        }
        return steps;
    }
}
