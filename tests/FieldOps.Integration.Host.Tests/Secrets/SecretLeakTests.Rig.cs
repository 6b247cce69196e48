using System.Text;
using FieldOps.Integration.Host.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace FieldOps.Integration.Host.Tests.Secrets;

/// <summary>The vendor, the environment and the store reads the secret-leak tests share.</summary>
public sealed partial class SecretLeakTests
{
    private const string SecretPatternsMask = "***";

    private static object Payload(string endpoint, int i) => new { fields = new { name = $"thing-{i}" }, @params = new { endpoint } };

    private void ArrangeVendor()
    {
        // The issuer: the seed refresh token gets the first access token, the refresh after a 401 a second one (rotated).
        _vendor.Given(Request.Create().WithPath("/token").UsingPost().WithBody(b => b != null && b.Contains("broken-refresh", StringComparison.Ordinal)))
            .AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(400).WithHeader("Content-Type", "application/json")
                .WithBody($"{{\"error\":\"invalid_grant: refresh token {BrokenSeedRefresh} revoked for client {ClientSecret}\"}}"));
        _vendor.Given(Request.Create().WithPath("/token").UsingPost()).AtPriority(2)
            .RespondWith(Response.Create().WithCallback(_ =>
            {
                var n = Interlocked.Increment(ref _tokensIssued);
                var body = n == 1
                    ? $"{{\"access_token\":\"{Access1}\",\"refresh_token\":\"{SeedRefresh}\",\"expires_in\":3600}}"
                    : $"{{\"access_token\":\"{Access2}\",\"refresh_token\":\"{RotatedRefresh}\",\"expires_in\":3600}}";
                return new WireMock.ResponseMessage
                {
                    StatusCode = 200,
                    Headers = new Dictionary<string, WireMock.Types.WireMockList<string>> { ["Content-Type"] = new("application/json") },
                    BodyData = new WireMock.Util.BodyData { BodyAsString = body, DetectedBodyType = WireMock.Types.BodyType.String },
                };
            }));
        // The first token is refused (401 echoing it); the refreshed one gets a 422 echoing every secret it knows.
        _vendor.Given(Request.Create().WithPath("/things/*").UsingPut().WithHeader("Authorization", $"Bearer {Access1}"))
            .RespondWith(Response.Create().WithStatusCode(401).WithHeader("WWW-Authenticate", $"Bearer error=\"invalid_token\", token=\"{Access1}\"")
                .WithBody($"token {Access1} expired"));
        _vendor.Given(Request.Create().WithPath("/things/*").UsingPut().WithHeader("Authorization", $"Bearer {Access2}"))
            .RespondWith(Response.Create().WithStatusCode(422).WithHeader("X-Echo", $"Bearer {Access2}")
                .WithBody($"rejected: you sent {Access2}; client {ClientSecret}; refresh {RotatedRefresh}; source {SourceSecret}; db {ConnectionPassword}; admin {AdminKey}"));
        // A flaky target without OAuth: 500s echoing secrets in plain words until the attempts run out.
        _vendor.Given(Request.Create().WithPath("/flaky/*").UsingPut())
            .RespondWith(Response.Create().WithStatusCode(500)
                .WithBody($"{{\"message\":\"upstream said {SourceSecret} / {ClientSecret}\",\"access_token\":\"{Access1}\"}}"));
    }

    private Dictionary<string, string> Environment() => new()
    {
        ["Store__ConnectionString"] = _db.ConnectionString,
        ["Reporting__ConnectionString"] = $"Host=reports.example;Username=fieldops;Password={ConnectionPassword}",
        ["Credentials__KeysDirectory"] = Path.Combine(_db.Directory, "keys"),
        ["Admin__ApiKey"] = AdminKey,
        ["Sources__acme__Kind"] = "hmac",
        ["Sources__acme__Secret"] = SourceSecret,
        ["Sources__acme__Signature__Header"] = "X-Signature",
        ["Dispatcher__PollInterval"] = "00:00:00.050",
        ["Dispatcher__BaseDelay"] = "00:00:00.050",
        ["Dispatcher__MaxDelay"] = "00:00:00.200",
        ["Dispatcher__MaxAttempts"] = "2",
        ["Connectors__Http__Connections__default__TokenUrl"] = _vendor.Url + "/token",
        ["Connectors__Http__Connections__default__ClientId"] = "fieldops",
        ["Connectors__Http__Connections__default__ClientSecret"] = ClientSecret,
        ["Connectors__Http__Connections__default__RefreshToken"] = SeedRefresh,
        ["Connectors__Http__Connections__broken__TokenUrl"] = _vendor.Url + "/token",
        ["Connectors__Http__Connections__broken__ClientSecret"] = ClientSecret,
        ["Connectors__Http__Connections__broken__RefreshToken"] = BrokenSeedRefresh,
        ["Connectors__Http__Endpoints__things__Url"] = _vendor.Url + "/things/{{idempotencyKey}}",
        ["Connectors__Http__Endpoints__things__Method"] = "PUT",
        ["Connectors__Http__Endpoints__things__OAuth"] = "true",
        ["Connectors__Http__Endpoints__flaky__Url"] = _vendor.Url + "/flaky/{{idempotencyKey}}",
        ["Connectors__Http__Endpoints__flaky__Method"] = "PUT",
        ["Logging__Level"] = "Debug",
    };

    private async Task<string> RunToolAsync(Dictionary<string, string> environment, params string[] arguments)
    {
        await using var tool = FieldOpsProcess.Start(_db.Directory, environment, arguments);
        await tool.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return tool.StandardOutput + tool.StandardError;
    }

    private long DeadCount() => Scalar("SELECT COUNT(*) FROM outbox WHERE state = 'dead'");

    private List<string> DeadIds()
    {
        using var connection = new SqliteConnection(_db.ConnectionString + ";Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM outbox WHERE state = 'dead' ORDER BY id";
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read())
            ids.Add(reader.GetString(0));
        return ids;
    }

    private long Scalar(string sql)
    {
        using var connection = new SqliteConnection(_db.ConnectionString + ";Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Every value of every column of every table, as text (blobs read as UTF-8).</summary>
    private string StoreText()
    {
        using var connection = new SqliteConnection(_db.ConnectionString + ";Pooling=False");
        connection.Open();
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            using var reader = list.ExecuteReader();
            while (reader.Read())
                tables.Add(reader.GetString(0));
        }
        var text = new StringBuilder();
        foreach (var table in tables)
        {
            using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    text.Append(table).Append('.').Append(reader.GetName(i)).Append('=')
                        .Append(reader.IsDBNull(i) ? "" : reader.GetValue(i) is byte[] bytes ? Encoding.UTF8.GetString(bytes) : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))
                        .AppendLine();
                }
            }
        }
        return text.ToString();
    }

    private static string Around(string text, string secret)
    {
        var at = text.IndexOf(secret, StringComparison.Ordinal);
        return text.Substring(Math.Max(0, at - 300), Math.Min(text.Length - Math.Max(0, at - 300), 600));
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, FieldOpsProcess process)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"Timed out. fieldops output:\n{process.StandardOutput}\n{process.StandardError}");
            await Task.Delay(100);
        }
    }

    public void Dispose()
    {
        _vendor.Stop();
        _vendor.Dispose();
        _db.Dispose();
    }
}
