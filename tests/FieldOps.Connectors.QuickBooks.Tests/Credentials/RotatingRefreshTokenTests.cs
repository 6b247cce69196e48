using FieldOps.Connectors.QuickBooks.Tests.Support;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Credentials;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using static FieldOps.Integration.Testing.VendorAnswers;

namespace FieldOps.Connectors.QuickBooks.Tests.Credentials;

/// <summary>
/// Two worker instances (two service providers over one SQLite file, as two processes would be) share QuickBooks'
/// rotating refresh token through the real credentials store and Intuit's token call on WireMock.
/// </summary>
public sealed class RotatingRefreshTokenTests : IDisposable
{
    private const string TokenPath = "/oauth2/v1/tokens/bearer";
    private const string InvoicePath = $"/v3/company/{QuickBooksTestHost.Realm}/invoice";
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly SharedStore _store = new();

    private QuickBooksTestHost NewWorker() => new(_server,
        new Dictionary<string, string?> { ["Connectors:QuickBooks:RefreshToken"] = "seed-refresh" }, _store);

    private int TokenCalls => _server.LogEntries.Count(e => e.RequestMessage.Path == TokenPath);

    private void ArrangeIntuit()
    {
        // Intuit rotates the refresh token on every refresh; a superseded one would answer invalid_grant.
        _server.Given(Request.Create().WithPath(TokenPath).UsingPost().WithBody(b => b!.Contains("refresh_token=seed-refresh", StringComparison.Ordinal)))
            .RespondWith(Response.Create().WithDelay(TimeSpan.FromMilliseconds(50)).WithHeader("Content-Type", "application/json")
                .WithBody("""{"token_type":"bearer","expires_in":3600,"refresh_token":"rotated-1","x_refresh_token_expires_in":8726400,"access_token":"tok-1"}"""));
        _server.Given(Request.Create().WithPath(TokenPath).UsingPost().WithBody(b => b!.Contains("refresh_token=rotated-1", StringComparison.Ordinal)))
            .RespondWith(Response.Create().WithDelay(TimeSpan.FromMilliseconds(300)).WithHeader("Content-Type", "application/json")
                .WithBody("""{"token_type":"bearer","expires_in":3600,"refresh_token":"rotated-2","x_refresh_token_expires_in":8726400,"access_token":"tok-2"}"""));
        _server.Given(Request.Create().WithPath(TokenPath).UsingPost().WithBody(b => !b!.Contains("refresh_token=seed-refresh", StringComparison.Ordinal)
                && !b.Contains("refresh_token=rotated-1", StringComparison.Ordinal)))
            .RespondWith(JsonReply(400, """{"error":"invalid_grant"}"""));
        // The company: the first access token has expired, the refreshed one works.
        _server.Given(Request.Create().WithPath(InvoicePath).UsingPost().WithHeader("Authorization", "Bearer tok-1"))
            .RespondWith(FromFixture("fault-auth-401.json"));
        _server.Given(Request.Create().WithPath(InvoicePath).UsingPost().WithHeader("Authorization", "Bearer tok-2"))
            .RespondWith(FromFixture("invoice-create-response.json"));
    }

    [Fact]
    public async Task Refresh_TwoWorkersRejectedAtTheSameMoment_OneRefreshReachesIntuitAndTheRotatedTokenIsStored()
    {
        ArrangeIntuit();
        using var first = NewWorker();
        using var second = NewWorker();
        var firstTokens = first.Services.GetRequiredService<IAccessTokenProvider>();
        var secondTokens = second.Services.GetRequiredService<IAccessTokenProvider>();

        // Both workers' first calls carry tok-1 (seeded once from configuration) and are refused as expired.
        var refused = await Task.WhenAll(
            first.Connector.DeliverAsync(Operations.CreateInvoice("JOB-1"), CancellationToken.None),
            second.Connector.DeliverAsync(Operations.CreateInvoice("JOB-2"), CancellationToken.None));
        Assert.All(refused, o => Assert.Equal(OutcomeKind.AuthExpired, o.Kind));
        Assert.Equal(1, TokenCalls);
        var rejectedAt = DateTimeOffset.UtcNow;

        // Each worker's dispatcher refreshes at the same moment, as it does on auth-expired.
        var refreshed = await Task.WhenAll(
            Task.Run(() => firstTokens.RefreshAsync(QuickBooksOptions.ConnectionName, rejectedAt, CancellationToken.None)),
            Task.Run(() => secondTokens.RefreshAsync(QuickBooksOptions.ConnectionName, rejectedAt, CancellationToken.None)));

        Assert.Equal(2, TokenCalls); // the seed, then exactly one refresh for both workers
        Assert.All(refreshed, t => Assert.Equal("tok-2", t.Value));
        var retried = await Task.WhenAll(
            first.Connector.DeliverAsync(Operations.CreateInvoice("JOB-1"), CancellationToken.None),
            second.Connector.DeliverAsync(Operations.CreateInvoice("JOB-2"), CancellationToken.None));
        Assert.All(retried, o => Assert.Equal(OutcomeKind.Delivered, o.Kind));

        var stored = await first.Services.GetRequiredService<ITokenStore>().GetAsync(QuickBooksOptions.ConnectionName, CancellationToken.None);
        var protector = first.Services.GetRequiredService<TokenProtector>();
        Assert.Equal("rotated-2", protector.Unprotect(stored!.ProtectedRefreshToken));
        Assert.DoesNotContain("rotated-2", stored.ProtectedRefreshToken, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_AfterRestart_SendsTheRotatedRefreshTokenNotTheSeed()
    {
        ArrangeIntuit();
        using (var before = NewWorker())
            await before.Services.GetRequiredService<IAccessTokenProvider>().GetAccessTokenAsync(QuickBooksOptions.ConnectionName, CancellationToken.None);

        using var after = NewWorker();
        var token = await after.Services.GetRequiredService<IAccessTokenProvider>()
            .RefreshAsync(QuickBooksOptions.ConnectionName, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal("tok-2", token.Value);
        Assert.Contains("refresh_token=rotated-1", _server.LogEntries.Last(e => e.RequestMessage.Path == TokenPath).RequestMessage.Body, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _server.Stop();
        _store.Dispose();
    }
}
