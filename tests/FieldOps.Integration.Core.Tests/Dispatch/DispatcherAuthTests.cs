using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace FieldOps.Integration.Core.Tests.Dispatch;

/// <summary>Auth-expired refreshes once and retries; a broken connection keeps its operations queued and degrades readiness.</summary>
public sealed class DispatcherAuthTests : DispatcherTestBase
{
    private Dictionary<string, string?> OAuthSettings() => new()
    {
        ["Connectors:Http:Endpoints:things:OAuth"] = "true",
        ["Connectors:Http:Connections:default:TokenUrl"] = Target.Url + "/oauth/token",
        ["Connectors:Http:Connections:default:ClientId"] = "fieldops",
        ["Connectors:Http:Connections:default:ClientSecret"] = "s3cret",
        ["Connectors:Http:Connections:default:RefreshToken"] = "seed-refresh",
    };

    [Fact]
    public async Task Dispatch_401_RefreshesTheTokenOnceAndRetriesAtOnce()
    {
        Target.Given(Request.Create().WithPath("/oauth/token").UsingPost()).InScenario("tokens").WillSetStateTo("second")
            .RespondWith(Response.Create().WithBodyAsJson(new { access_token = "tok-1", refresh_token = "refresh-2", expires_in = 3600 }));
        Target.Given(Request.Create().WithPath("/oauth/token").UsingPost()).InScenario("tokens").WhenStateIs("second")
            .RespondWith(Response.Create().WithBodyAsJson(new { access_token = "tok-2", refresh_token = "refresh-3", expires_in = 3600 }));
        Target.Given(Request.Create().WithPath("/things/k1").UsingPut().WithHeader("Authorization", "Bearer tok-1"))
            .RespondWith(Response.Create().WithStatusCode(401).WithBody("{\"error\":\"EXPIRED_AUTHENTICATION\"}"));
        Target.Given(Request.Create().WithPath("/things/k1").UsingPut().WithHeader("Authorization", "Bearer tok-2"))
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "T-1" }));
        var rows = await Db.AddRowsAsync(Thing("k1"));

        await StartAsync(OAuthSettings());
        await WaitForStateAsync(rows[0].Id, OutboxStates.Delivered);

        var tokenCalls = Target.LogEntries.Where(e => e.RequestMessage.Path == "/oauth/token").ToList();
        Assert.Equal(2, tokenCalls.Count);
        Assert.Contains("refresh_token=seed-refresh", tokenCalls[0].RequestMessage.Body, StringComparison.Ordinal);
        Assert.Contains("refresh_token=refresh-2", tokenCalls[1].RequestMessage.Body, StringComparison.Ordinal);
        Assert.Equal(2, Target.LogEntries.Count(e => e.RequestMessage.Path == "/things/k1"));
        Assert.Equal(1, (await StatusAsync(rows[0].Id)).Attempts);
    }

    [Fact]
    public async Task Dispatch_InvalidGrant_KeepsOperationsQueuedAndReportsTheConnectionDegraded()
    {
        Target.Given(Request.Create().WithPath("/oauth/token").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(400).WithBodyAsJson(new { error = "invalid_grant" }));
        var rows = await Db.AddRowsAsync(Thing("k1"), Thing("k2", "p2"));

        await StartAsync(OAuthSettings());
        await DispatcherHarness.WaitForAsync(
            () => Task.FromResult(Harness.Services.GetRequiredService<ConnectionStatus>().Broken.ContainsKey("http:default")), Patience);
        await Task.Delay(300);

        var report = await Harness.Services.GetRequiredService<HealthCheckService>()
            .CheckHealthAsync(check => check.Tags.Contains("ready"), CancellationToken.None);
        Assert.Equal(HealthStatus.Degraded, report.Status);
        Assert.Contains("http:default", report.Entries["connections"].Description, StringComparison.Ordinal);
        foreach (var row in rows)
        {
            var status = await StatusAsync(row.Id);
            Assert.Equal(OutboxStates.Pending, status.State);
            Assert.Equal(0, status.Attempts);
        }
        Assert.Equal(1, Target.LogEntries.Count(e => e.RequestMessage.Path == "/oauth/token"));
        Assert.DoesNotContain(Target.LogEntries, e => e.RequestMessage.Path.StartsWith("/things", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dispatch_ConnectionWithoutATokenEndpoint_IsBrokenAndItsOperationsStayQueued()
    {
        var rows = await Db.AddRowsAsync(Thing("k1") with { Connection = "unconfigured" });

        await StartAsync(OAuthSettings());
        await DispatcherHarness.WaitForAsync(
            () => Task.FromResult(Harness.Services.GetRequiredService<ConnectionStatus>().Broken.ContainsKey("http:unconfigured")), Patience);

        var status = await StatusAsync(rows[0].Id);
        Assert.Equal(OutboxStates.Pending, status.State);
        Assert.Equal(0, status.Attempts);
        Assert.Empty(Target.LogEntries);
    }
}
