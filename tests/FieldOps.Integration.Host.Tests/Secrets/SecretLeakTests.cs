using System.Net;
using System.Text;
using FieldOps.Integration.Host.Tests.Infrastructure;
using FieldOps.Integration.Testing.Stores;
using Microsoft.Data.Sqlite;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FieldOps.Integration.Host.Tests.Secrets;

/// <summary>
/// Distinct secrets in every secret-bearing setting, a vendor that echoes the bearer token, the client secret and the
/// refresh token in its error bodies and headers, and an issuer that echoes them in its refusal: after the real
/// process has dead-lettered, marked broken and logged at Debug, no secret appears in any log line, any column of
/// any table, any admin or health answer, or the output of <c>fieldops deadletters list/show</c>.
/// </summary>
public sealed partial class SecretLeakTests : IDisposable
{
    private const string SourceSecret = "src-secret-7Qf3kZ9pWm";
    private const string AdminKey = "admin-apikey-Xr84mWq2Lp";
    private const string ClientSecret = "client-secret-Jd93nVb1Ts";
    private const string SeedRefresh = "seed-refresh-Ku28sPq4Yc";
    private const string BrokenSeedRefresh = "broken-refresh-Ga51hRt8Qe";
    private const string ConnectionPassword = "conn-pass-Wt47gRz3Nd";
    private const string Access1 = "access-one-Hy73bQk2Vf";
    private const string Access2 = "access-two-Mz51cWp8Lr";
    private const string RotatedRefresh = "rotated-refresh-Pn62xTb9Js";

    private static readonly string[] AllSecrets =
        [SourceSecret, AdminKey, ClientSecret, SeedRefresh, BrokenSeedRefresh, ConnectionPassword, Access1, Access2, RotatedRefresh];

    private readonly TestStore _db = new();
    private readonly WireMockServer _vendor = WireMockServer.Start();
    private int _tokensIssued;

    [Fact]
    public async Task Failures_EchoingEverySecret_LeaveNoSecretInLogsStoreAdminOrCli()
    {
        ArrangeVendor();
        await _db.AddRowsAsync(
            new TestRow("thing:1", Payload("things", 1), IdempotencyKey: "thing-1"),
            new TestRow("thing:2", Payload("flaky", 2), IdempotencyKey: "thing-2"),
            new TestRow("thing:3", Payload("things", 3), IdempotencyKey: "thing-3", Connection: "broken"));
        var environment = Environment();

        string serviceOutput;
        var answers = new StringBuilder();
        await using (var service = FieldOpsProcess.Start(_db.Directory, environment))
        {
            // Three dead letters: the 422 after a refresh, the 500s, and the issuer's refusals echoing its refresh token.
            await WaitUntilAsync(() => DeadCount() == 3, TimeSpan.FromSeconds(60), service);
            using var client = new HttpClient { BaseAddress = service.BaseAddress };
            client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
            answers.AppendLine(await client.GetStringAsync(new Uri("/admin/deadletters", UriKind.Relative)));
            foreach (var id in DeadIds())
                answers.AppendLine(await client.GetStringAsync(new Uri($"/admin/deadletters/{id}", UriKind.Relative)));
            using (var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative)))
                answers.AppendLine(await ready.Content.ReadAsStringAsync());
            // A sender's wrong signature and a wrong admin key are refused and logged without the real ones.
            using var refused = await client.PostAsync(new Uri("/webhooks/acme", UriKind.Relative),
                new StringContent("{\"event\":{\"id\":\"x\"}}", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            await Task.Delay(500);
            service.Kill();
            serviceOutput = service.StandardOutput + service.StandardError;
        }

        // The failures really carried the secrets: the vendor saw the refreshed token and echoed it back.
        Assert.True(_tokensIssued >= 2, "the token should have been refreshed after the 401");
        Assert.Contains(_vendor.LogEntries, e => e.RequestMessage.Headers?.TryGetValue("Authorization", out var auth) == true && auth.Contains($"Bearer {Access2}"));
        Assert.Contains(SecretPatternsMask, serviceOutput, StringComparison.Ordinal);
        Assert.Contains("Dead-lettered", serviceOutput, StringComparison.Ordinal);

        var columns = StoreText();
        Assert.Contains(SecretPatternsMask, columns, StringComparison.Ordinal);

        var list = await RunToolAsync(environment, "deadletters", "list");
        var shows = new StringBuilder();
        foreach (var id in DeadIds())
            shows.AppendLine(await RunToolAsync(environment, "deadletters", "show", id));
        Assert.Contains("thing-1", shows.ToString(), StringComparison.Ordinal);

        foreach (var secret in AllSecrets)
        {
            Assert.False(serviceOutput.Contains(secret, StringComparison.Ordinal), $"log output shows {secret}:\n{Around(serviceOutput, secret)}");
            Assert.False(columns.Contains(secret, StringComparison.Ordinal), $"the store shows {secret}:\n{Around(columns, secret)}");
            Assert.False(answers.ToString().Contains(secret, StringComparison.Ordinal), $"an admin/health answer shows {secret}:\n{Around(answers.ToString(), secret)}");
            Assert.False((list + shows).Contains(secret, StringComparison.Ordinal), $"CLI output shows {secret}:\n{Around(list + shows, secret)}");
        }
    }

    [Fact]
    public async Task Restart_TokensTheStoreHoldsFromAnEarlierProcess_AreScrubbedByValueInLogsStoreAndCli()
    {
        // The first process gets Access1, is refused, refreshes and rotates: the store now holds Access2, RotatedRefresh
        // and (as the previous refresh token) SeedRefresh.
        ArrangeVendor();
        await _db.AddRowsAsync(new TestRow("thing:1", Payload("things", 1), IdempotencyKey: "thing-1"));
        var environment = Environment();
        await using (var first = FieldOpsProcess.Start(_db.Directory, environment))
        {
            await WaitUntilAsync(() => DeadCount() == 1, TimeSpan.FromSeconds(60), first);
            first.Kill();
        }
        Assert.True(_tokensIssued >= 2, "the token should have been refreshed after the 401");

        // The second process never uses that connection: only the store knows its tokens. A target echoes them in plain
        // words (no shape a pattern would catch).
        _vendor.Given(Request.Create().WithPath("/echo/*").UsingPut()).RespondWith(Response.Create().WithStatusCode(422)
            .WithBody($"rejected: old credentials {Access2} and {RotatedRefresh} seen"));
        environment["Connectors__Http__Endpoints__echo__Url"] = _vendor.Url + "/echo/{{idempotencyKey}}";
        environment["Connectors__Http__Endpoints__echo__Method"] = "PUT";
        await _db.AddRowsAsync(new TestRow("thing:2", Payload("echo", 2), IdempotencyKey: "thing-2"));
        string output;
        await using (var second = FieldOpsProcess.Start(_db.Directory, environment))
        {
            await WaitUntilAsync(() => DeadCount() == 2, TimeSpan.FromSeconds(60), second);
            await Task.Delay(300);
            second.Kill();
            output = second.StandardOutput + second.StandardError;
        }
        Assert.Contains(_vendor.LogEntries, e => e.RequestMessage.Path.StartsWith("/echo/", StringComparison.Ordinal));

        var columns = StoreText();
        var shows = new StringBuilder();
        foreach (var id in DeadIds())
            shows.AppendLine(await RunToolAsync(environment, "deadletters", "show", id));
        Assert.Contains("rejected: old credentials", columns, StringComparison.Ordinal);
        Assert.Contains("rejected: old credentials", shows.ToString(), StringComparison.Ordinal);
        foreach (var token in new[] { Access2, RotatedRefresh })
        {
            Assert.False(output.Contains(token, StringComparison.Ordinal), $"the restarted process's log shows {token}:\n{Around(output, token)}");
            Assert.False(columns.Contains(token, StringComparison.Ordinal), $"the store shows {token}:\n{Around(columns, token)}");
            Assert.False(shows.ToString().Contains(token, StringComparison.Ordinal), $"CLI output shows {token}:\n{Around(shows.ToString(), token)}");
        }
    }

    [Fact]
    public async Task Cli_RowWrittenBeforeTheUpgrade_ShowsItScrubbed()
    {
        // A dead letter stored by a version without the scrubber: the tool's output still hides the configured secret.
        await _db.AddRowsAsync(new TestRow("thing:9", Payload("things", 9), IdempotencyKey: "thing-9"));
        await using (var connection = new SqliteConnection(_db.ConnectionString + ";Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE outbox SET state = 'dead', completed_at = 1, " +
                $"dead_reason = 'Permanent: the vendor said client_id x secret {ClientSecret} is wrong', last_error = 'Bearer {Access1}'";
            await command.ExecuteNonQueryAsync();
        }
        var id = Assert.Single(DeadIds());
        var show = await RunToolAsync(Environment(), "deadletters", "show", id);
        Assert.Contains("is wrong", show, StringComparison.Ordinal);
        Assert.DoesNotContain(ClientSecret, show, StringComparison.Ordinal);
        Assert.DoesNotContain(Access1, show, StringComparison.Ordinal);
    }
}
