using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using FieldOps.Bench;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace FieldOps.LoadDriver;

/// <summary>
/// Salesforce, HubSpot, QuickBooks Online and BambooHR on one loopback Kestrel port, on their real paths, answering at
/// once as the vendors answer a success (no rate limits: this measures us, not them). Every effect is recorded once by
/// what identifies it at the vendor (<see cref="Effects"/>); a repeated call is counted, so a duplicate shows.
/// QuickBooks replays a known <c>requestid</c> without a second effect, as Intuit does.
/// </summary>
internal sealed partial class VendorStubs : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _caseJob = new();       // Salesforce Case id -> job id
    private readonly ConcurrentDictionary<string, string> _cases = new();         // job id -> Case id
    private readonly ConcurrentDictionary<string, string> _accounts = new();      // client id -> Account id
    private readonly ConcurrentDictionary<string, string> _hubSpotObjects = new(); // "contacts:{email}" -> HubSpot id
    private readonly ConcurrentDictionary<string, string> _ticketJob = new();     // HubSpot ticket id -> job id
    private readonly ConcurrentDictionary<string, string> _tickets = new();       // job id -> ticket id
    private readonly ConcurrentDictionary<string, string> _requests = new();      // QuickBooks requestid -> entity id
    private readonly ConcurrentDictionary<string, string> _customerClient = new(); // QuickBooks customer id -> client id
    private readonly ConcurrentDictionary<string, string> _invoiceClient = new();  // QuickBooks invoice id -> client id
    private readonly ConcurrentDictionary<string, bool> _emailed = new();
    private readonly ConcurrentDictionary<string, decimal> _invoiceTotals = new(); // QuickBooks invoice id -> TotalAmt
    private long _ids = 1000;

    private VendorStubs(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    /// <summary>Effect key (e.g. <c>sf-case:{job id}</c>) → how many calls made it, and when the first arrived.</summary>
    public ConcurrentDictionary<string, Effect> Effects { get; } = new(StringComparer.Ordinal);

    /// <summary>Effects that must never repeat (a second one is a second comment, note or email).</summary>
    public static readonly string[] NonIdempotentKinds = ["sf-comment", "hs-note", "qb-send"];

    public static async Task<VendorStubs> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var stubs = new VendorStubs(app);
        stubs.MapSalesforce(app);
        stubs.MapHubSpot(app);
        stubs.MapQuickBooks(app);
        MapBambooHR(app, stubs);
        await app.StartAsync().ConfigureAwait(false);
        stubs.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return stubs;
    }

    /// <summary>Forgets what earlier phases recorded.</summary>
    public void Reset()
    {
        Effects.Clear();
        foreach (var map in new[] { _caseJob, _cases, _accounts, _hubSpotObjects, _ticketJob, _tickets, _requests, _customerClient, _invoiceClient })
            map.Clear();
        _emailed.Clear();
        _invoiceTotals.Clear();
    }

    private void Record(string key)
    {
        var now = Stopwatch.GetTimestamp();
        Effects.AddOrUpdate(key, _ => new Effect(1, now), (_, e) => e with { Count = e.Count + 1 });
    }

    private string NextId(string prefix, int width) =>
        prefix + Interlocked.Increment(ref _ids).ToString(CultureInfo.InvariantCulture).PadLeft(width, '0');

    private static async Task<JsonNode> BodyAsync(HttpRequest request) =>
        await JsonNode.ParseAsync(request.Body).ConfigureAwait(false) ?? throw new InvalidOperationException("empty body");

    private static void MapBambooHR(WebApplication app, VendorStubs stubs)
    {
        app.MapGet("/api/v1/employees/directory", () => Results.Json(new
        {
            fields = new[] { new { id = "displayName", type = "text", name = "Display name" }, new { id = "workEmail", type = "email", name = "Work Email" } },
            employees = Enumerable.Range(0, JobberJobs.Technicians).Select(k => new
            {
                id = (5000 + k).ToString(CultureInfo.InvariantCulture),
                displayName = $"Technician {k}",
                workEmail = JobberJobs.TechnicianEmail(k),
            }),
        }));
        app.MapPost("/api/v1/timetracking/record", async (HttpRequest request) =>
        {
            var records = (await BodyAsync(request).ConfigureAwait(false)).AsArray();
            foreach (var record in records)
                stubs.Record("bhr:" + record!["timeTrackingId"]!.GetValue<string>());
            return Results.Json(records.Select(_ => new { success = true, response = new { id = stubs.NextId("", 6), message = (string?)null } }),
                statusCode: 201);
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>One effect at a vendor: how many calls made it and the <see cref="Stopwatch"/> timestamp of the first.</summary>
internal sealed record Effect(int Count, long FirstAt);
