using FieldOps.Integration.Host.Tests.Dispatch;
using FieldOps.Integration.Testing.Faults;
using FieldOps.Integration.Testing.Stores;
using Xunit.Abstractions;

namespace FieldOps.Integration.Host.Tests.Faults;

/// <summary>
/// Token rotation against a real Kestrel issuer of 60 s tokens that rotates refresh tokens strictly, with the real
/// process killed right after the issuer answered a refresh and then restarted: the connection either still works, or
/// it is marked broken with the exact reason (a refresh got no answer, so the rotated token was never received).
/// </summary>
public sealed class TokenRotationKillTests(ITestOutputHelper output) : IDisposable
{
    private const string Seed = "seed-refresh-token";
    private readonly TestStore _db = new();

    [Fact]
    public async Task Refresh_ProcessKilledRightAfterTheIssuerAnswered_StrictRotation_WorksOrSaysExactlyWhy()
    {
        await using var issuer = await StrictRotationIssuer.StartAsync(Seed, TimeSpan.FromSeconds(60));
        var (outcome, reason) = await KillDuringRefreshAndRestartAsync(issuer);

        output.WriteLine($"strict rotation: {outcome}; token calls {issuer.TokenCalls}; reason: {reason}");
        if (outcome == "broken")
        {
            Assert.Contains("invalid_grant", reason, StringComparison.Ordinal);
            Assert.Contains("the previous refresh token was refused too", reason, StringComparison.Ordinal);
            Assert.Contains("got no answer (the process stopped or the answer was lost)", reason, StringComparison.Ordinal);
            Assert.DoesNotContain("rt-", reason, StringComparison.Ordinal); // no token in the reason
        }
    }

    [Fact]
    public async Task Refresh_ProcessKilledRightAfterTheIssuerAnswered_IssuerHonoursThePreviousToken_TheConnectionStillWorks()
    {
        await using var issuer = await StrictRotationIssuer.StartAsync(Seed, TimeSpan.FromSeconds(60), graceForPrevious: true);
        var (outcome, reason) = await KillDuringRefreshAndRestartAsync(issuer);

        output.WriteLine($"rotation with a grace for the previous token: {outcome}; token calls {issuer.TokenCalls}; reason: {reason}");
        Assert.Equal("works", outcome);
    }

    private async Task<(string Outcome, string? Reason)> KillDuringRefreshAndRestartAsync(StrictRotationIssuer issuer)
    {
        var environment = Environment(issuer);
        var first = await _db.AddRowsAsync(Rows("a", 6));
        using (var process = FieldOpsProcess.Start(_db.Directory, environment))
        {
            await WaitUntilAsync(() => first.All(r => issuer.Writes.ContainsKey(r.IdempotencyKey!)), TimeSpan.FromSeconds(30), process);
            // Six calls with a 60 s token: one token call, not one per call.
            Assert.Equal(1, issuer.TokenCalls);

            // The next call is a 401: the dispatcher refreshes, which rotates the refresh token, and the process is
            // killed the moment the issuer has sent the new one.
            issuer.AfterAnswer = call =>
            {
                if (call == 2)
                    process.KillNow();
            };
            issuer.RevokeAccessTokens();
            var answered = issuer.AnsweredAsync(2);
            await _db.AddRowsAsync(Rows("b", 1));
            await answered.WaitAsync(TimeSpan.FromSeconds(30));
            process.Kill();
            issuer.AfterAnswer = null;
        }
        var later = await _db.AddRowsAsync(Rows("c", 4));
        using (var process = FieldOpsProcess.Start(_db.Directory, environment))
        {
            // Well inside the 30 s lease the dead process left behind: waiting it out would fail this.
            var started = DateTime.UtcNow;
            var deadline = started + TimeSpan.FromSeconds(15);
            while (DateTime.UtcNow < deadline)
            {
                var reason = await _db.ScalarAsync<string?>("SELECT broken_reason FROM credential WHERE connection = 'http:default'");
                var outcome = later.All(r => issuer.Writes.ContainsKey(r.IdempotencyKey!)) ? "works" : reason is not null ? "broken" : null;
                if (outcome is not null)
                {
                    output.WriteLine($"after the restart: {outcome} in {(DateTime.UtcNow - started).TotalSeconds:0.0} s (refresh lease 30 s)");
                    return (outcome, reason);
                }
                await Task.Delay(100);
            }
            Assert.Fail($"neither delivered nor broken within 15 s of the restart (the dead process's refresh lease was waited out?):\n{process.Output}");
            return ("", null);
        }
    }

    private static TestRow[] Rows(string prefix, int count) =>
        Enumerable.Range(0, count)
            .Select(i => new TestRow($"p-{prefix}-{i}", new { fields = new { name = $"{prefix}{i}" }, @params = new { endpoint = "things" } }, IdempotencyKey: $"{prefix}-{i}"))
            .ToArray();

    private Dictionary<string, string> Environment(StrictRotationIssuer issuer) => new()
    {
        ["Store__ConnectionString"] = _db.ConnectionString,
        ["Credentials__KeysDirectory"] = Path.Combine(_db.Directory, "keys"),
        // The default refresh lease (30 s): the killed process's lease is taken over at once, since its pid is gone.
        ["Dispatcher__PollInterval"] = "00:00:00.050",
        ["Dispatcher__BaseDelay"] = "00:00:00.050",
        ["Dispatcher__MaxDelay"] = "00:00:00.500",
        ["Connectors__Http__Endpoints__things__Url"] = issuer.Url + "/api/things/{{idempotencyKey}}",
        ["Connectors__Http__Endpoints__things__Method"] = "PUT",
        ["Connectors__Http__Endpoints__things__OAuth"] = "true",
        ["Connectors__Http__Connections__default__TokenUrl"] = issuer.Url + "/oauth/token",
        ["Connectors__Http__Connections__default__ClientId"] = "fieldops",
        ["Connectors__Http__Connections__default__ClientSecret"] = "client-secret-value",
        ["Connectors__Http__Connections__default__RefreshToken"] = Seed,
        ["Logging__Level"] = "Warning",
    };

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, FieldOpsProcess process)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"Timed out. fieldops output:\n{process.Output}");
            await Task.Delay(50);
        }
    }

    public void Dispose() => _db.Dispose();
}
