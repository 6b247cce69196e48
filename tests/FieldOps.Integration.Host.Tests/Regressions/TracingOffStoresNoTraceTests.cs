using System.Net;
using System.Text;
using FieldOps.Integration.Host.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace FieldOps.Integration.Host.Tests.Regressions;

/// <summary>
/// <c>Tracing:Enabled=false</c> stored a trace id with every event all the same: the intake read
/// <c>Activity.Current</c>, which is then ASP.NET Core's own request activity (propagation only), instead of its own
/// span (none). Found by the intake bench's check. A real process, because in-process hosts share the pipeline's static
/// activity sources with other tests' hosts that trace.
/// </summary>
public sealed class TracingOffStoresNoTraceTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task Webhook_WithTracingOff_StoresNoTraceParent()
    {
        var environment = new Dictionary<string, string>
        {
            ["Tracing__Enabled"] = "false",
            ["Sources__crm__Kind"] = "canonical",
            ["Sources__crm__Signature__Algorithm"] = "None",
        };
        await using var process = FieldOpsProcess.Start(_directory.Path, environment);
        await process.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        using var client = new HttpClient { BaseAddress = process.BaseAddress };
        const string Event = """{"type":"CustomerUpserted","entityType":"Customer","entityId":"C-1","occurredAt":"2025-03-14T12:30:00-06:00","entity":{"id":"C-1"}}""";

        using var response = await client.PostAsync(new Uri("/webhooks/crm", UriKind.Relative), new StringContent(Event, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory.Path, "data", "fieldops.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*), COUNT(trace_parent) FROM inbox";
        using var reader = command.ExecuteReader();
        reader.Read();
        Assert.Equal(1, reader.GetInt64(0));
        Assert.Equal(0, reader.GetInt64(1));
    }

    public void Dispose() => _directory.Dispose();
}
