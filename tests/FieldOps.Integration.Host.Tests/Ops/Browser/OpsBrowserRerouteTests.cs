using Dapper;
using FieldOps.Integration.Host.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace FieldOps.Integration.Host.Tests.Ops.Browser;

/// <summary>
/// Re-route in the browser with a real diff: the running <c>fieldops</c> routes a canonical event through flow v1
/// (rows wait: the http connector is not configured), the flow file changes, and the dry run shows the field diff
/// before the admin confirms the re-route.
/// </summary>
[Collection(OpsTimingCollection.Name)]
public sealed class OpsBrowserRerouteTests : IDisposable
{
    private const string FlowV1 = """
        kind: flow
        name: customer-things
        when:
          type: CustomerUpserted
        operations:
          - key: contact
            connector: http
            operation: upsert
            objectType: Contact
            idempotencyKey: "'contact-' & entity.id"
            partitionKey: "'http:contact:' & entity.id"
            fields:
              email: "$lowercase(entity.emails[1])"
              lastName: entity.lastName
            params:
              endpoint: "'contacts'"
        """;

    private const string Event = """
        {"type":"CustomerUpserted","entityType":"Customer","entityId":"C-42","sourceAccountId":"acme-field","occurredAt":"2025-03-14T12:30:00-06:00",
         "entity":{"id":"C-42","kind":"Company","displayName":"Bluebird Bakery","lastName":"Lopez","emails":["Orders@Bluebird.example"]}}
        """;

    private readonly TempDirectory _directory = new();

    [ChromiumFact]
    public async Task Reroute_DryRunShowsTheDiff_ThenWritesTheNewOperation()
    {
        var mappings = Path.Combine(_directory.Path, "mappings");
        Directory.CreateDirectory(Path.Combine(mappings, "flows"));
        Directory.CreateDirectory(Path.Combine(mappings, "profiles"));
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "mappings", "profiles", "canonical.yaml"), Path.Combine(mappings, "profiles", "canonical.yaml"));
        var flow = Path.Combine(mappings, "flows", "customer-things.yaml");
        await File.WriteAllTextAsync(flow, FlowV1);
        await using var process = FieldOpsProcess.Start(_directory.Path, new Dictionary<string, string>
        {
            ["Store__ConnectionString"] = $"Data Source={_directory.DatabasePath}",
            ["Admin__ApiKey"] = OpsClient.Key,
            ["Ops__Enabled"] = "true",
            ["Sources__shop__Kind"] = "canonical",
            ["Sources__shop__Secret"] = "shop-test-secret-5b1e",
            ["Sources__shop__Signature__Header"] = "X-Signature",
        });
        await process.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        long eventId;
        await using (var db = new SqliteConnection($"Data Source={_directory.DatabasePath};Pooling=False"))
        {
            eventId = await db.ExecuteScalarAsync<long>(
                "INSERT INTO inbox (source, dedup_key, received_at, headers, body, state) VALUES ('shop', 'e1', 0, '{}', @body, 'new') RETURNING id",
                new { body = System.Text.Encoding.UTF8.GetBytes(Event) });
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outbox WHERE inbox_event_id = @eventId", new { eventId }) == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, $"not routed:\n{process.StandardOutput}");
                await Task.Delay(100);
            }
        }
        await File.WriteAllTextAsync(flow, FlowV1.Replace("entity.emails[1]", "entity.emails[0]", StringComparison.Ordinal));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumFactAttribute.ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = process.BaseAddress.ToString() });
        await page.GotoAsync("/ops/login");
        await page.GetByLabel("Your name (recorded in the audit log with every action)").FillAsync("Dana Admin");
        await page.GetByLabel("Admin API key").FillAsync(OpsClient.Key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await page.WaitForURLAsync("**/ops");

        // The reload is picked up within a second or two: retry the dry run until it shows the new mapping.
        var deadlineDiff = DateTime.UtcNow.AddSeconds(20);
        string main;
        do
        {
            await page.GotoAsync($"/ops/events/{eventId}/reroute");
            main = await page.InnerTextAsync("main");
        }
        while (!main.Contains("orders@bluebird.example", StringComparison.Ordinal) && DateTime.UtcNow < deadlineDiff && await Delay());
        Assert.Contains("customer-things / contact: New", main, StringComparison.Ordinal);
        Assert.Contains("orders@bluebird.example", await page.InnerTextAsync("ins"), StringComparison.Ordinal);
        Directory.CreateDirectory(OpsBrowserTests.ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(OpsBrowserTests.ScreenshotDirectory, "reroute-diff.png"), FullPage = true });

        await page.GetByRole(AriaRole.Button, new() { Name = "Re-route: write 1 new operation(s)" }).ClickAsync();
        Assert.Contains("wrote 1 new operation(s)", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(OpsBrowserTests.ScreenshotDirectory, "reroute-done.png"), FullPage = true });
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(250);
        return true;
    }

    public void Dispose() => _directory.Dispose();
}
