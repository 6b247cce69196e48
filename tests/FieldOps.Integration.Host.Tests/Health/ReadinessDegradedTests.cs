using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using FieldOps.Integration.Host.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace FieldOps.Integration.Host.Tests.Health;

/// <summary><c>/health/ready</c> answers 200 Degraded, with the reason, when the instance still works but something needs an admin.</summary>
public sealed class ReadinessDegradedTests : IDisposable
{
    private readonly TempDirectory _mappings = new();

    private static async Task<JsonElement> ReadyAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static JsonElement Check(JsonElement report, string name) =>
        report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    [Fact]
    public async Task Ready_MappingFileRefused_Is200DegradedNamingTheFile()
    {
        File.WriteAllText(Path.Combine(_mappings.Path, "broken.yaml"), "kind: flow\nname: broken\noperations: [\n");
        using var factory = new FieldOpsFactory(new Dictionary<string, string?> { ["Mappings:Path"] = _mappings.Path });
        using var client = factory.CreateClient();

        var report = await ReadyAsync(client);

        Assert.Equal("Degraded", report.GetProperty("status").GetString());
        var mappings = Check(report, "mappings");
        Assert.Equal("Degraded", mappings.GetProperty("status").GetString());
        Assert.Contains("broken.yaml", mappings.GetProperty("data").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ready_ConnectionBroken_Is200DegradedNamingTheConnectionAndTheReason()
    {
        using var factory = new FieldOpsFactory();
        using var client = factory.CreateClient();
        await using (var connection = new SqliteConnection($"Data Source={factory.DatabasePath};Pooling=False"))
        {
            await connection.ExecuteAsync(
                "INSERT INTO credential (connection, broken_reason, updated_at) VALUES ('quickbooks:default', 'invalid_grant: refresh token revoked', 0)");
        }

        var report = await ReadyAsync(client);

        Assert.Equal("Degraded", report.GetProperty("status").GetString());
        var connections = Check(report, "connections");
        Assert.Contains("quickbooks:default", connections.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("invalid_grant", connections.GetProperty("data").ToString(), StringComparison.Ordinal);
    }

    public void Dispose() => _mappings.Dispose();
}
