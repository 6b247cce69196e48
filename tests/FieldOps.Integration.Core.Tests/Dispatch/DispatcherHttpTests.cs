using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Dispatch;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace FieldOps.Integration.Core.Tests.Dispatch;

/// <summary>The dispatcher, the stores and the generic HTTP connector against a WireMock target.</summary>
public sealed class DispatcherHttpTests : DispatcherTestBase
{
    [Fact]
    public async Task Dispatch_ServerErrorThenSuccess_DeliversOnce()
    {
        Target.Given(Request.Create().WithPath("/things/k1").UsingPut()).InScenario("flaky").WillSetStateTo("up")
            .RespondWith(Response.Create().WithStatusCode(500).WithBody("upstream broke"));
        Target.Given(Request.Create().WithPath("/things/k1").UsingPut()).InScenario("flaky").WhenStateIs("up")
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "T-1" }));
        var rows = await Db.AddRowsAsync(Thing("k1") with { XrefSourceId = "42" });

        await StartAsync();
        await WaitForStateAsync(rows[0].Id, OutboxStates.Delivered);

        var status = await Harness.Outbox.GetStatusAsync(rows[0].Id, CancellationToken.None);
        Assert.Equal(2, status!.Attempts);
        Assert.Equal("T-1", status.TargetId);
        Assert.Equal(2, Target.LogEntries.Count);
        Assert.Equal([OutcomeKind.Transient, OutcomeKind.Delivered], (await Harness.Outbox.GetAttemptsAsync(rows[0].Id, CancellationToken.None)).Select(a => a.Outcome));
        Assert.Equal("T-1", await Db.ScalarAsync<string>("SELECT target_id FROM xref WHERE system = 'http' AND source_id = '42'"));
    }

    [Fact]
    public async Task Dispatch_429WithRetryAfter_WaitsAsToldWithoutUsingAnAttempt()
    {
        Target.Given(Request.Create().WithPath("/things/k1").UsingPut()).InScenario("busy").WillSetStateTo("free")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1").WithBody("slow down"));
        Target.Given(Request.Create().WithPath("/things/k1").UsingPut()).InScenario("busy").WhenStateIs("free")
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "T-1" }));
        var rows = await Db.AddRowsAsync(Thing("k1"));

        await StartAsync();
        await WaitForStateAsync(rows[0].Id, OutboxStates.Delivered);

        var times = Target.LogEntries.Select(e => e.RequestMessage.DateTime).Order().ToList();
        Assert.Equal(2, times.Count);
        Assert.True(times[1] - times[0] >= TimeSpan.FromMilliseconds(950), $"retried after {times[1] - times[0]}");
        Assert.Equal(1, (await Harness.Outbox.GetStatusAsync(rows[0].Id, CancellationToken.None))!.Attempts);
    }

    [Fact]
    public async Task Dispatch_Permanent400_DeadLettersAtOnceWithTheTargetsText()
    {
        Target.Given(Request.Create().WithPath("/things/k1").UsingPut())
            .RespondWith(Response.Create().WithStatusCode(400).WithBody("{\"error\":\"VALIDATION: name is too long\"}"));
        var rows = await Db.AddRowsAsync(Thing("k1"));

        await StartAsync();
        await WaitForStateAsync(rows[0].Id, OutboxStates.Dead);

        var status = await Harness.Outbox.GetStatusAsync(rows[0].Id, CancellationToken.None);
        Assert.Contains("Permanent", status!.DeadReason, StringComparison.Ordinal);
        Assert.Contains("VALIDATION: name is too long", status.DeadReason, StringComparison.Ordinal);
        Assert.Contains("test-flow", status.DeadReason, StringComparison.Ordinal);
        Assert.Contains("mappings/flows/test.yaml", status.DeadReason, StringComparison.Ordinal);
        Assert.Single(Target.LogEntries);
        Assert.Equal(400, Assert.Single(await Harness.Outbox.GetAttemptsAsync(rows[0].Id, CancellationToken.None)).StatusCode);
    }

    [Fact]
    public async Task Dispatch_Timeout_IsTransientAndRetried()
    {
        Target.Given(Request.Create().WithPath("/things/k1").UsingPut()).AtPriority(10)
            .RespondWith(Response.Create().WithStatusCode(200).WithDelay(TimeSpan.FromSeconds(2)).WithBodyAsJson(new { id = "late" }));
        var rows = await Db.AddRowsAsync(Thing("k1"));

        await StartAsync(new() { ["Connectors:Http:Timeout"] = "00:00:00.300" });
        await DispatcherHarness.WaitForAsync(
            async () => (await Harness.Outbox.GetAttemptsAsync(rows[0].Id, CancellationToken.None)).Count > 0, Patience);
        Target.Given(Request.Create().WithPath("/things/k1").UsingPut()).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "T-1" }));
        await WaitForStateAsync(rows[0].Id, OutboxStates.Delivered);

        var attempts = await Harness.Outbox.GetAttemptsAsync(rows[0].Id, CancellationToken.None);
        Assert.Equal(OutcomeKind.Transient, attempts[0].Outcome);
        Assert.Contains("Timeout", attempts[0].Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(OutcomeKind.Delivered, attempts[^1].Outcome);
        Assert.Equal("T-1", (await Harness.Outbox.GetStatusAsync(rows[0].Id, CancellationToken.None))!.TargetId);
    }

    [Fact]
    public async Task Dispatch_BreakerOpens_PausesClaimsWithoutBurningAttemptsThenResumes()
    {
        Target.Given(Request.Create().WithPath("/things/*").UsingPut()).AtPriority(10)
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("down"));
        var rows = await Db.AddRowsAsync(Enumerable.Range(0, 6).Select(i => Thing($"k{i}", $"p{i}")).ToArray());

        await StartAsync(new()
        {
            ["Dispatcher:BreakerMinimumThroughput"] = "4",
            ["Dispatcher:BreakerFailureRatio"] = "0.5",
            ["Dispatcher:BreakerBreakDuration"] = "00:00:01",
            ["Dispatcher:BreakerSamplingDuration"] = "00:00:10",
            ["Dispatcher:MaxAttempts"] = "50",
            ["Dispatcher:ConcurrencyPerConnector"] = "2",
        });
        var gate = Harness.Services.GetRequiredService<ConnectorGates>()["http"];
        await DispatcherHarness.WaitForAsync(() => Task.FromResult(gate.IsBreakerOpen), Patience);
        var callsWhenOpened = Target.LogEntries.Count;
        await Task.Delay(600);
        var callsWhileOpen = Target.LogEntries.Count - callsWhenOpened;
        var attemptsWhileOpen = await Db.ScalarAsync<long>("SELECT SUM(attempts) FROM outbox");

        Target.Given(Request.Create().WithPath("/things/*").UsingPut()).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "ok" }));
        foreach (var row in rows)
            await WaitForStateAsync(row.Id, OutboxStates.Delivered);

        Assert.True(callsWhileOpen <= 2, $"{callsWhileOpen} calls reached the target while the breaker was open");
        Assert.True(attemptsWhileOpen <= callsWhenOpened + callsWhileOpen, "released claims must not count as attempts");
        Assert.Equal(Polly.CircuitBreaker.CircuitState.Closed, gate.BreakerState);
    }

    [Fact]
    public async Task Dispatch_RateLimited_WaitsForPermitsWithoutUsingAttempts()
    {
        Target.Given(Request.Create().WithPath("/things/*").UsingPut())
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "ok" }));
        var rows = await Db.AddRowsAsync(Enumerable.Range(0, 8).Select(i => Thing($"k{i}", $"p{i}")).ToArray());

        await StartAsync(new() { ["Connectors:Http:RateLimit:PermitLimit"] = "2", ["Connectors:Http:RateLimit:Window"] = "00:00:01" });
        foreach (var row in rows)
            await WaitForStateAsync(row.Id, OutboxStates.Delivered);

        var times = Target.LogEntries.Select(e => e.RequestMessage.DateTime).Order().ToList();
        Assert.Equal(8, times.Count);
        // 8 calls at 2 per sliding second: the limiter's first window may hand out one early batch; after that it paces.
        Assert.True(times[^1] - times[0] >= TimeSpan.FromMilliseconds(1800), $"8 calls at 2 per second took {times[^1] - times[0]}: " + string.Join(", ", times.Select(t => (t - times[0]).TotalMilliseconds)));
        foreach (var row in rows)
            Assert.Equal(1, (await StatusAsync(row.Id)).Attempts);
    }
}
