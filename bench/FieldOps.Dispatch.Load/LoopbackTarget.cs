using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FieldOps.Dispatch.Load;

/// <summary>
/// A target on 127.0.0.1 that answers at once (or after <c>latency</c>, as a vendor across the internet would): a PUT
/// per thing, 200 with an id or 503 for a share of calls; and BambooHR's bulk Hours endpoint, 201 with one item per
/// record sent, naming its <c>timeTrackingId</c> — the batch endpoint.
/// </summary>
internal sealed class LoopbackTarget : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _calls;
    private long _failures;

    private LoopbackTarget(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    public long Calls => Interlocked.Read(ref _calls);

    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Successful calls per idempotency key (the last path segment): what the target actually received.</summary>
    public ConcurrentDictionary<string, int> Received { get; } = new(StringComparer.Ordinal);

    /// <summary>Records per bulk call, in the order the calls arrived.</summary>
    public ConcurrentQueue<int> BatchSizes { get; } = new();

    public static async Task<LoopbackTarget> StartAsync(double failureShare, TimeSpan latency = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var target = new LoopbackTarget(app);
        app.MapPut("/things/{key}", (string key) =>
        {
            var n = Interlocked.Increment(ref target._calls);
            // Deterministic share: every k-th call fails, so runs compare.
            if (failureShare > 0 && n % (long)Math.Round(1 / failureShare) == 0)
            {
                Interlocked.Increment(ref target._failures);
                return Results.StatusCode(503);
            }
            target.Received.AddOrUpdate(key, 1, (_, c) => c + 1);
            return Results.Json(new { id = "T-" + key });
        });
        app.MapPost("/api/v1/timetracking/record", async (HttpRequest request) =>
        {
            Interlocked.Increment(ref target._calls);
            var records = (await JsonNode.ParseAsync(request.Body))!.AsArray();
            if (latency > TimeSpan.Zero)
                await Task.Delay(latency);
            var items = new JsonArray();
            foreach (var record in records)
            {
                var id = record!["timeTrackingId"]!.GetValue<string>();
                target.Received.AddOrUpdate(id, 1, (_, c) => c + 1);
                items.Add(new JsonObject { ["success"] = true, ["response"] = new JsonObject { ["id"] = id, ["message"] = null } });
            }
            target.BatchSizes.Enqueue(records.Count);
            return Results.Content(items.ToJsonString(), "application/json", statusCode: 201);
        });
        await app.StartAsync();
        target.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return target;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
