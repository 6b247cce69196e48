using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using FieldOps.Integration.Host.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace FieldOps.Integration.Host.Tests.Health;

/// <summary><c>/health/ready</c> answers 200 Degraded, with the reason, when the instance still works but something needs an admin; 503 when it cannot route anything.</summary>
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
        CopyValidMappings();
        using var factory = new FieldOpsFactory(new Dictionary<string, string?> { ["Mappings:Path"] = _mappings.Path });
        using var client = factory.CreateClient();
        Assert.Equal("Healthy", Check(await ReadyAsync(client), "mappings").GetProperty("status").GetString());
        File.WriteAllText(Path.Combine(_mappings.Path, "broken.yaml"), "kind: flow\nname: broken\noperations: [\n");

        var report = await ReadyAsync(client);
        for (var i = 0; i < 100 && Check(report, "mappings").GetProperty("status").GetString() == "Healthy"; i++)
        {
            await Task.Delay(100); // the watcher reloads within a second
            report = await ReadyAsync(client);
        }

        Assert.Equal("Degraded", report.GetProperty("status").GetString());
        var mappings = Check(report, "mappings");
        Assert.Equal("Degraded", mappings.GetProperty("status").GetString());
        Assert.Contains("broken.yaml", mappings.GetProperty("data").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ready_FlowWritingAFieldQuickBooksDoesNotHave_IsRefusedAtReload_200DegradedNamingTheFileAndField()
    {
        CopyValidMappings();
        using var factory = new FieldOpsFactory(new Dictionary<string, string?> { ["Mappings:Path"] = _mappings.Path });
        using var client = factory.CreateClient();
        Assert.Equal("Healthy", Check(await ReadyAsync(client), "mappings").GetProperty("status").GetString());
        Directory.CreateDirectory(Path.Combine(_mappings.Path, "flows"));
        File.WriteAllText(Path.Combine(_mappings.Path, "flows", "customer-books.yaml"), """
            kind: flow
            name: customer-books
            when:
              type: CustomerUpserted
            operations:
              - key: customer
                connector: quickbooks
                operation: upsert
                objectType: Customer
                idempotencyKey: entity.id
                partitionKey: "'quickbooks:customer:' & entity.id"
                fields:
                  DisplayNmae: entity.displayName
            """);

        var report = await ReadyAsync(client);
        for (var i = 0; i < 100 && Check(report, "mappings").GetProperty("status").GetString() == "Healthy"; i++)
        {
            await Task.Delay(100); // the watcher reloads within a second
            report = await ReadyAsync(client);
        }

        var mappings = Check(report, "mappings");
        Assert.Equal("Degraded", mappings.GetProperty("status").GetString());
        var data = mappings.GetProperty("data").GetProperty("problem1").GetString();
        Assert.Contains("customer-books.yaml:13:7: operations[0].fields.DisplayNmae", data, StringComparison.Ordinal);
        Assert.Contains("operations[0].fields.DisplayNmae: unknown field 'DisplayNmae' of QuickBooks Customer", data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ready_FlowWritingASalesforceFieldTheCachedDescribeDoesNotHave_IsRefusedAtReload()
    {
        CopyValidMappings();
        using var factory = new FieldOpsFactory(new Dictionary<string, string?> { ["Mappings:Path"] = _mappings.Path });
        using var client = factory.CreateClient();
        Assert.Equal("Healthy", Check(await ReadyAsync(client), "mappings").GetProperty("status").GetString());
        // What `fieldops validate --online` stored: Account's describe (the vendor's documented shape), with the custom field FS_Customer_Id__c.
        await using (var connection = new SqliteConnection($"Data Source={factory.DatabasePath};Pooling=False"))
        {
            await connection.ExecuteAsync("INSERT INTO target_schema_cache (connector, object_type, body, fetched_at) VALUES ('salesforce', 'Account', @body, 0)", new
            {
                body = FieldOps.Integration.Testing.TargetSchemaAnswers.Body("salesforce", "Account"),
            });
        }
        Directory.CreateDirectory(Path.Combine(_mappings.Path, "flows"));
        File.WriteAllText(Path.Combine(_mappings.Path, "flows", "customer-crm.yaml"), """
            kind: flow
            name: customer-crm
            when:
              type: CustomerUpserted
            operations:
              - key: account
                connector: salesforce
                operation: upsert
                objectType: Account
                idempotencyKey: entity.id
                partitionKey: entity.id
                fields:
                  Name: entity.displayName
                  FS_Custmer_Id__c: entity.id
            """);

        var report = await ReadyAsync(client);
        for (var i = 0; i < 100 && Check(report, "mappings").GetProperty("status").GetString() == "Healthy"; i++)
        {
            await Task.Delay(100); // the watcher reloads within a second
            report = await ReadyAsync(client);
        }

        var mappings = Check(report, "mappings");
        Assert.Equal("Degraded", mappings.GetProperty("status").GetString());
        Assert.Contains("customer-crm.yaml:14:7: operations[0].fields.FS_Custmer_Id__c: unknown field 'FS_Custmer_Id__c' of Salesforce Account",
            mappings.GetProperty("data").GetProperty("problem1").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ready_ConnectionBroken_Is200DegradedNamingTheConnectionAndTheReason()
    {
        CopyValidMappings();
        using var factory = new FieldOpsFactory(new Dictionary<string, string?> { ["Mappings:Path"] = _mappings.Path });
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

    [Fact]
    public async Task Ready_RealProcessWithoutMappingsFolder_Is503NamingMappings()
    {
        using var directory = new TempDirectory();
        var missing = Path.Combine(directory.Path, "mappings");
        await using var process = FieldOpsProcess.Start(directory.Path, new Dictionary<string, string> { ["Mappings__Path"] = missing });
        using var client = new HttpClient { BaseAddress = process.BaseAddress };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        HttpResponseMessage? response = null;
        while (response is null && DateTime.UtcNow < deadline)
        {
            try
            {
                response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
            }
            catch (HttpRequestException)
            {
                await Task.Delay(200);
            }
        }
        Assert.NotNull(response);
        using (response)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            var report = await response.Content.ReadFromJsonAsync<JsonElement>();
            var mappings = Check(report, "mappings");
            Assert.Equal("Unhealthy", mappings.GetProperty("status").GetString());
            Assert.Contains("nothing is routed", mappings.GetProperty("description").GetString(), StringComparison.Ordinal);
            Assert.Equal("service unavailable", report.GetProperty("error").GetString());
            var detail = report.GetProperty("detail").GetString();
            Assert.StartsWith("mappings: ", detail, StringComparison.Ordinal);
            Assert.InRange(detail!.Length, 1, 300);
        }
    }

    [Fact]
    public async Task Ready_RowsWaitingForAnUnconfiguredConnector_Is200DegradedNamingTheConnectorAndTheFlow()
    {
        CopyValidMappings();
        // A flow to QuickBooks, which this instance does not configure: its rows would wait forever, unclaimed.
        File.WriteAllText(Path.Combine(_mappings.Path, "flows", "customer-books.yaml"), """
            kind: flow
            name: customer-books
            when:
              type: CustomerUpserted
            operations:
              - key: customer
                connector: quickbooks
                operation: upsert
                objectType: Customer
                idempotencyKey: entity.id
                partitionKey: "'quickbooks:customer:' & entity.id"
                fields:
                  DisplayName: entity.displayName
            """);
        using var factory = new FieldOpsFactory(new Dictionary<string, string?> { ["Mappings:Path"] = _mappings.Path });
        using var client = factory.CreateClient();
        Assert.Equal("Healthy", Check(await ReadyAsync(client), "unconfigured-connectors").GetProperty("status").GetString());
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using (var connection = new SqliteConnection($"Data Source={factory.DatabasePath};Pooling=False"))
        {
            await connection.ExecuteAsync($"""
                INSERT INTO inbox (id, source, dedup_key, received_at, headers, body, state, routed_at) VALUES (900, 'fsm', 'd900', {now}, '{"{}"}', x'7B7D', 'routed', {now});
                INSERT INTO outbox (id, seq, inbox_event_id, flow, operation_key, mapping_revision, connector, operation, object_type, idempotency_key,
                                    partition_key, payload, state, attempts, created_at, next_attempt_at, completed_at) VALUES
                  ('w1', 900, 900, 'customer-books', 'customer', 'r', 'quickbooks', 'upsert', 'Customer', 'i1', 'p1', '{"{}"}', 'pending', 0, {now}, {now}, NULL);
                """);
        }

        var report = await ReadyAsync(client);

        Assert.Equal("Degraded", report.GetProperty("status").GetString());
        var check = Check(report, "unconfigured-connectors");
        Assert.Equal("Degraded", check.GetProperty("status").GetString());
        var description = check.GetProperty("description").GetString();
        Assert.Contains("1 rows wait for connector 'quickbooks', which is not configured", description, StringComparison.Ordinal);
        Assert.Contains("flows: customer-books", description, StringComparison.Ordinal);
    }

    /// <summary>A profile and a flow: a set that routes, so readiness is about the thing each test breaks.</summary>
    private void CopyValidMappings()
    {
        var fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "logs");
        foreach (var file in Directory.EnumerateFiles(fixture, "*.yaml", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(_mappings.Path, Path.GetRelativePath(fixture, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }

    public void Dispose() => _mappings.Dispose();
}
