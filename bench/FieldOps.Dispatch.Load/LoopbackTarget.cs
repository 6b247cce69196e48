using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FieldOps.Dispatch.Load;

/// <summary>A target on 127.0.0.1 that answers at once: 200 with an id, or 503 for a share of calls.</summary>
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

    public static async Task<LoopbackTarget> StartAsync(double failureShare)
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
