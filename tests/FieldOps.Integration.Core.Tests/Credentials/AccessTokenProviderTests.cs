using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace FieldOps.Integration.Core.Tests.Credentials;

/// <summary>The token provider over the real token store (SQLite) and a WireMock OAuth token endpoint.</summary>
public sealed class AccessTokenProviderTests : DispatcherTestBase
{
    private const string Connection = "http:default";

    private DispatcherHarness NewWorker() => new(Db, new Dictionary<string, string?>
    {
        ["Dispatcher:Enabled"] = "false",
        ["Connectors:Http:Connections:default:TokenUrl"] = Target.Url + "/oauth/token",
        ["Connectors:Http:Connections:default:ClientId"] = "fieldops",
        ["Connectors:Http:Connections:default:RefreshToken"] = "seed-refresh",
    });

    private void ArrangeRotatingIssuer(TimeSpan delay)
    {
        Target.Given(Request.Create().WithPath("/oauth/token").UsingPost().WithBody(b => b!.Contains("refresh_token=seed-refresh", StringComparison.Ordinal)))
            .RespondWith(Response.Create().WithDelay(delay).WithBodyAsJson(new { access_token = "tok-1", refresh_token = "rotated-1", expires_in = 3600 }));
        Target.Given(Request.Create().WithPath("/oauth/token").UsingPost().WithBody(b => b!.Contains("refresh_token=rotated-1", StringComparison.Ordinal)))
            .RespondWith(Response.Create().WithDelay(delay).WithBodyAsJson(new { access_token = "tok-2", refresh_token = "rotated-2", expires_in = 3600 }));
    }

    private int TokenCalls => Target.LogEntries.Count(e => e.RequestMessage.Path == "/oauth/token");

    [Fact]
    public async Task GetAccessToken_TwoWorkersOnOneDatabaseAtOnce_RefreshOnce()
    {
        ArrangeRotatingIssuer(TimeSpan.FromMilliseconds(300));
        await using var first = NewWorker();
        await using var second = NewWorker();

        var tokens = await Task.WhenAll(
            Task.Run(() => first.Tokens.GetAccessTokenAsync(Connection, CancellationToken.None)),
            Task.Run(() => second.Tokens.GetAccessTokenAsync(Connection, CancellationToken.None)));

        Assert.Equal(1, TokenCalls);
        Assert.All(tokens, t => Assert.Equal("tok-1", t.Value));
    }

    [Fact]
    public async Task Refresh_TwoWorkersRejectedAtTheSameMoment_RefreshOnce()
    {
        ArrangeRotatingIssuer(TimeSpan.FromMilliseconds(200));
        await using var first = NewWorker();
        await using var second = NewWorker();
        await first.Tokens.GetAccessTokenAsync(Connection, CancellationToken.None);
        await second.Tokens.GetAccessTokenAsync(Connection, CancellationToken.None);
        var rejectedAt = DateTimeOffset.UtcNow;

        var refreshed = await Task.WhenAll(
            Task.Run(() => first.Tokens.RefreshAsync(Connection, rejectedAt, CancellationToken.None)),
            Task.Run(() => second.Tokens.RefreshAsync(Connection, rejectedAt, CancellationToken.None)));

        Assert.Equal(2, TokenCalls); // the seed, then one refresh for both workers
        Assert.All(refreshed, t => Assert.Equal("tok-2", t.Value));
    }

    [Fact]
    public async Task Refresh_AfterRestart_UsesTheRotatedRefreshTokenNotTheConfiguredOne()
    {
        ArrangeRotatingIssuer(TimeSpan.FromMilliseconds(1));
        await using (var before = NewWorker())
            await before.Tokens.GetAccessTokenAsync(Connection, CancellationToken.None);

        await using var after = NewWorker();
        var token = await after.Tokens.RefreshAsync(Connection, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal("tok-2", token.Value);
        Assert.Contains("refresh_token=rotated-1", Target.LogEntries.Last(e => e.RequestMessage.Path == "/oauth/token").RequestMessage.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAccessToken_StoredToken_IsEncryptedAtRestWithKeysOutsideTheDatabase()
    {
        ArrangeRotatingIssuer(TimeSpan.FromMilliseconds(1));
        await using var worker = NewWorker();
        await worker.Tokens.GetAccessTokenAsync(Connection, CancellationToken.None);

        var access = await Db.ScalarAsync<string>("SELECT access_token FROM credential WHERE connection = @Connection", new { Connection });
        var refresh = await Db.ScalarAsync<string>("SELECT refresh_token FROM credential WHERE connection = @Connection", new { Connection });
        Assert.DoesNotContain("tok-1", access, StringComparison.Ordinal);
        Assert.DoesNotContain("rotated-1", refresh, StringComparison.Ordinal);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(Db.Directory, "keys"), "key-*.xml"));
    }

    [Fact]
    public async Task GetAccessToken_InvalidGrant_ThrowsConnectionBrokenOnceAndDoesNotCallTheIssuerAgain()
    {
        Target.Given(Request.Create().WithPath("/oauth/token").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(400).WithBodyAsJson(new { error = "invalid_grant", error_description = "Token revoked" }));
        await using var worker = NewWorker();

        var first = await Assert.ThrowsAsync<ConnectionBrokenException>(() => worker.Tokens.GetAccessTokenAsync(Connection, CancellationToken.None));
        await Assert.ThrowsAsync<ConnectionBrokenException>(() => worker.Tokens.GetAccessTokenAsync(Connection, CancellationToken.None));

        Assert.Equal("invalid_grant: Token revoked", first.Reason);
        Assert.Equal(1, TokenCalls);
        Assert.True(worker.Services.GetRequiredService<ConnectionStatus>().Broken.ContainsKey(Connection));
        Assert.Equal("invalid_grant: Token revoked", (await worker.Services.GetRequiredService<ITokenStore>().ListBrokenAsync(CancellationToken.None))[Connection]);
    }

    [Fact]
    public async Task GetAccessToken_SixtySecondToken_IsNotRefreshedBeforeEveryCall()
    {
        Target.Given(Request.Create().WithPath("/oauth/token").UsingPost())
            .RespondWith(Response.Create().WithBodyAsJson(new { access_token = "tok-60", refresh_token = "seed-refresh", expires_in = 60 }));
        await using var worker = NewWorker();

        for (var i = 0; i < 10; i++)
            Assert.Equal("tok-60", (await worker.Tokens.GetAccessTokenAsync(Connection, CancellationToken.None)).Value);

        Assert.Equal(1, TokenCalls); // the skew is at most a quarter of the lifetime (15 s), not the 2 minute default
    }

    [Fact]
    public async Task Refresh_NewestRefreshTokenRefused_TriesThePreviousOneBeforeDeclaringTheConnectionBroken()
    {
        Target.Given(Request.Create().WithPath("/oauth/token").UsingPost().WithBody(b => b!.Contains("refresh_token=seed-refresh", StringComparison.Ordinal)))
            .RespondWith(Response.Create().WithBodyAsJson(new { access_token = "tok-1", refresh_token = "rotated-1", expires_in = 3600 }));
        Target.Given(Request.Create().WithPath("/oauth/token").UsingPost().WithBody(b => b!.Contains("refresh_token=rotated-1", StringComparison.Ordinal)))
            .InScenario("r1").WillSetStateTo("spent")
            .RespondWith(Response.Create().WithBodyAsJson(new { access_token = "tok-2", refresh_token = "rotated-2", expires_in = 3600 }));
        // The issuer lost track of rotated-2 and still honours the token it replaced.
        Target.Given(Request.Create().WithPath("/oauth/token").UsingPost().WithBody(b => b!.Contains("refresh_token=rotated-1", StringComparison.Ordinal)))
            .InScenario("r1").WhenStateIs("spent")
            .RespondWith(Response.Create().WithBodyAsJson(new { access_token = "tok-3", refresh_token = "rotated-3", expires_in = 3600 }));
        Target.Given(Request.Create().WithPath("/oauth/token").UsingPost().WithBody(b => b!.Contains("refresh_token=rotated-2", StringComparison.Ordinal)))
            .RespondWith(Response.Create().WithStatusCode(400).WithBodyAsJson(new { error = "invalid_grant" }));
        await using var worker = NewWorker();
        await worker.Tokens.GetAccessTokenAsync(Connection, CancellationToken.None);
        await worker.Tokens.RefreshAsync(Connection, DateTimeOffset.UtcNow, CancellationToken.None);

        var token = await worker.Tokens.RefreshAsync(Connection, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal("tok-3", token.Value);
        var bodies = Target.LogEntries.Where(e => e.RequestMessage.Path == "/oauth/token").Select(e => e.RequestMessage.Body!).ToList();
        Assert.Equal(4, bodies.Count);
        Assert.Contains("refresh_token=rotated-2", bodies[2], StringComparison.Ordinal);
        Assert.Contains("refresh_token=rotated-1", bodies[3], StringComparison.Ordinal);
        Assert.False(worker.Services.GetRequiredService<ConnectionStatus>().Broken.ContainsKey(Connection));
    }

    [Fact]
    public async Task Refresh_AnswerLostAndBothTokensRefused_TheBrokenReasonSaysARefreshGotNoAnswer()
    {
        Target.Given(Request.Create().WithPath("/oauth/token").UsingPost().WithBody(b => b!.Contains("refresh_token=seed-refresh", StringComparison.Ordinal)))
            .InScenario("seed").WillSetStateTo("spent")
            .RespondWith(Response.Create().WithBodyAsJson(new { access_token = "tok-1", refresh_token = "rotated-1", expires_in = 3600 }));
        Target.Given(Request.Create().WithPath("/oauth/token").UsingPost().WithBody(b => b!.Contains("refresh_token=seed-refresh", StringComparison.Ordinal)))
            .InScenario("seed").WhenStateIs("spent")
            .RespondWith(Response.Create().WithStatusCode(400).WithBodyAsJson(new { error = "invalid_grant" }));
        // The issuer rotates rotated-1 (strictly) but the answer never arrives; afterwards rotated-1 is refused.
        Target.Given(Request.Create().WithPath("/oauth/token").UsingPost().WithBody(b => b!.Contains("refresh_token=rotated-1", StringComparison.Ordinal)))
            .InScenario("r1").WillSetStateTo("spent")
            .RespondWith(Response.Create().WithFault(FaultType.EMPTY_RESPONSE));
        Target.Given(Request.Create().WithPath("/oauth/token").UsingPost().WithBody(b => b!.Contains("refresh_token=rotated-1", StringComparison.Ordinal)))
            .InScenario("r1").WhenStateIs("spent")
            .RespondWith(Response.Create().WithStatusCode(400).WithBodyAsJson(new { error = "invalid_grant" }));
        await using var worker = NewWorker();
        await worker.Tokens.GetAccessTokenAsync(Connection, CancellationToken.None);
        var lost = await Assert.ThrowsAnyAsync<Exception>(() => worker.Tokens.RefreshAsync(Connection, DateTimeOffset.UtcNow, CancellationToken.None));
        Assert.IsNotType<ConnectionBrokenException>(lost);

        var broken = await Assert.ThrowsAsync<ConnectionBrokenException>(() => worker.Tokens.RefreshAsync(Connection, DateTimeOffset.UtcNow, CancellationToken.None));

        Assert.StartsWith("invalid_grant; the previous refresh token was refused too; a token refresh begun at ", broken.Reason, StringComparison.Ordinal);
        Assert.Contains("got no answer (the process stopped or the answer was lost)", broken.Reason, StringComparison.Ordinal);
        Assert.EndsWith("reconnect the connection", broken.Reason, StringComparison.Ordinal);
        Assert.Equal(broken.Reason, (await worker.Services.GetRequiredService<ITokenStore>().ListBrokenAsync(CancellationToken.None))[Connection]);
        var calls = TokenCalls;
        var again = await Assert.ThrowsAsync<ConnectionBrokenException>(() => worker.Tokens.RefreshAsync(Connection, DateTimeOffset.UtcNow, CancellationToken.None));
        Assert.Equal(calls, TokenCalls); // the configured token was among those refused: not tried again, the reason stays
        Assert.Equal(broken.Reason, again.Reason);
    }

    [Fact]
    public async Task Refresh_StoreCannotSaveTheRotatedToken_KeepsItAndSavesItBeforeAnythingElse()
    {
        Target.Given(Request.Create().WithPath("/oauth/token").UsingPost().WithBody(b => b!.Contains("refresh_token=seed-refresh", StringComparison.Ordinal)))
            .RespondWith(Response.Create().WithBodyAsJson(new { access_token = "tok-1", refresh_token = "rotated-1", expires_in = 3600 }));
        Target.Given(Request.Create().WithPath("/oauth/token").UsingPost().WithBody(b => b!.Contains("refresh_token=rotated-1", StringComparison.Ordinal)))
            .RespondWith(Response.Create().WithDelay(TimeSpan.FromMilliseconds(800))
                .WithBodyAsJson(new { access_token = "tok-2", refresh_token = "rotated-2", expires_in = 3600 }));
        await using var worker = new DispatcherHarness(Db, new Dictionary<string, string?>
        {
            ["Dispatcher:Enabled"] = "false",
            ["Store:BusyTimeout"] = "00:00:00.200",
            ["Connectors:Http:Connections:default:TokenUrl"] = Target.Url + "/oauth/token",
            ["Connectors:Http:Connections:default:ClientId"] = "fieldops",
            ["Connectors:Http:Connections:default:RefreshToken"] = "seed-refresh",
        });
        await worker.Tokens.GetAccessTokenAsync(Connection, CancellationToken.None);

        var refresh = worker.Tokens.RefreshAsync(Connection, DateTimeOffset.UtcNow, CancellationToken.None);
        await Task.Delay(300); // the refresh call is at the issuer: now the store stops taking writes
        await using (var blocker = new Microsoft.Data.Sqlite.SqliteConnection(Db.ConnectionString + ";Pooling=False"))
        {
            await blocker.OpenAsync();
            await using var begin = blocker.CreateCommand();
            begin.CommandText = "BEGIN EXCLUSIVE";
            await begin.ExecuteNonQueryAsync();
            await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => refresh);
            await using var rollback = blocker.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync();
        }

        var token = await worker.Tokens.GetAccessTokenAsync(Connection, CancellationToken.None);

        Assert.Equal("tok-2", token.Value); // the kept token, saved first; the old one is not used again
        Assert.Equal(2, TokenCalls);
        await using var restarted = NewWorker();
        Assert.Equal("tok-2", (await restarted.Tokens.GetAccessTokenAsync(Connection, CancellationToken.None)).Value);
        Assert.Equal(2, TokenCalls);
    }

    [Fact]
    public void Knows_ConfiguredAndUnconfiguredConnections_AnswersFromTheKeyedEndpoints()
    {
        using var worker = NewWorker().Services;
        var tokens = worker.GetRequiredService<IAccessTokenProvider>();

        Assert.True(tokens.Knows(Connection));
        Assert.False(tokens.Knows("http:elsewhere"));
    }
}
