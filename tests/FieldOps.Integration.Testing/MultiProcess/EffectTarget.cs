using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FieldOps.Integration.Testing.MultiProcess;

/// <summary>
/// A loopback vendor for the generic HTTP connector (one Kestrel port, shared by every worker), counting each effect by
/// the operation's idempotency key and recording, per partition key, the order effects first arrived in:
/// <list type="bullet">
/// <item><c>things</c>: <c>PUT /things/{idempotencyKey}?p={partitionKey}</c>, idempotent (a repeat is counted, harmless);</item>
/// <item><c>notes</c>: <c>POST /notes</c> with <c>{op, key, p}</c>, non-idempotent (each call creates a note), with the
/// effect check <c>GET /notes/by-op/{op}</c> the dispatcher asks after a crash.</item>
/// <item><c>GET /api/changes</c>: an empty REST source page (<c>{"items": []}</c>), counted, for a polled source.</item>
/// </list>
/// <see cref="Environment"/> gives the <c>Connectors:Http:Endpoints</c> settings that point the workers here.
/// </summary>
public sealed class EffectTarget : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _effects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, List<string>> _arrivals = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _notesByOp = new(StringComparer.Ordinal);
    private long _polls;
    private long _pollsInFlight;
    private long _maxPollsInFlight;

    /// <summary>How long a <c>GET /api/changes</c> poll takes to answer.</summary>
    public static readonly TimeSpan PollDuration = TimeSpan.FromMilliseconds(300);

    private EffectTarget(WebApplication app, TimeSpan delay)
    {
        _app = app;
        Delay = delay;
    }

    /// <summary>The base URL (<c>http://127.0.0.1:{port}</c>).</summary>
    public string Url { get; private set; } = "";

    /// <summary>How long each effect call takes before it answers (keeps work in flight for a kill).</summary>
    public TimeSpan Delay { get; }

    /// <summary>Effect (<c>things:{key}</c> or <c>notes:{key}</c>) → how many calls made it.</summary>
    public IReadOnlyDictionary<string, int> Effects => _effects;

    /// <summary>How many <c>GET /api/changes</c> polls arrived.</summary>
    public long Polls => Interlocked.Read(ref _polls);

    /// <summary>The most <c>GET /api/changes</c> polls that were ever in progress at once.</summary>
    public long MaxPollsInFlight => Interlocked.Read(ref _maxPollsInFlight);

    /// <summary>
    /// The settings that make the workers poll this target as source <c>acme</c> (the generic REST adapter, canonical
    /// events, one empty page) every <paramref name="interval"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string> PollEnvironment(TimeSpan interval) => new Dictionary<string, string>
    {
        ["Sources__acme__Kind"] = "canonical",
        ["Sources__acme__Secret"] = "acme-webhook-secret-for-the-cluster",
        ["Sources__acme__Signature__Header"] = "X-Acme-Signature",
        ["Sources__acme__ApiBaseUrl"] = Url + "/api/",
        ["Sources__acme__Poll__Adapter"] = "rest",
        ["Sources__acme__Poll__Interval"] = interval.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        ["Sources__acme__Poll__Path"] = "changes",
        ["Sources__acme__Poll__Id"] = "entityId",
        ["Sources__acme__Poll__Version"] = "sourceVersion",
        ["Sources__acme__Poll__EntityType"] = "Customer",
        ["Sources__acme__Poll__Topic"] = "customer.updated",
    };

    private static void InterlockedMax(ref long location, long value)
    {
        long seen;
        while ((seen = Interlocked.Read(ref location)) < value && Interlocked.CompareExchange(ref location, value, seen) != seen)
        {
        }
    }

    /// <summary>Starts the target on a free loopback port; every effect call waits <paramref name="delay"/> first.</summary>
    public static async Task<EffectTarget> StartAsync(TimeSpan delay = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var target = new EffectTarget(app, delay);
        app.MapPut("/things/{key}", async (string key, string? p) =>
        {
            await target.PauseAsync().ConfigureAwait(false);
            target.Record("things:" + key, p);
            return Results.Json(new { id = "T-" + key });
        });
        app.MapPost("/notes", async (HttpRequest request) =>
        {
            var body = await JsonNode.ParseAsync(request.Body).ConfigureAwait(false) ?? new JsonObject();
            var op = body["op"]?.GetValue<string>() ?? "";
            var key = body["key"]?.GetValue<string>() ?? "";
            await target.PauseAsync().ConfigureAwait(false);
            target.Record("notes:" + key, body["p"]?.GetValue<string>());
            target._notesByOp[op] = key;
            return Results.Json(new { id = "N-" + op }, statusCode: 201);
        });
        app.MapGet("/notes/by-op/{op}", (string op) =>
            target._notesByOp.ContainsKey(op) ? Results.Json(new { id = "N-" + op }) : Results.Json(new { error = "not found" }, statusCode: 404));
        app.MapGet("/api/changes", async () =>
        {
            Interlocked.Increment(ref target._polls);
            var inFlight = Interlocked.Increment(ref target._pollsInFlight);
            InterlockedMax(ref target._maxPollsInFlight, inFlight);
            try
            {
                // Long enough that two processes polling at once would overlap here.
                await Task.Delay(PollDuration).ConfigureAwait(false);
                return Results.Json(new { items = Array.Empty<object>() });
            }
            finally
            {
                Interlocked.Decrement(ref target._pollsInFlight);
            }
        });
        await app.StartAsync().ConfigureAwait(false);
        target.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return target;
    }

    /// <summary>
    /// The workers' settings for the two endpoints (<c>things</c>, <c>notes</c>); a flow picks one with
    /// <c>params.endpoint</c> and its operation's partition key is passed along so the order can be checked.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["Connectors__Http__Endpoints__things__Url"] = Url + "/things/{{idempotencyKey}}?p={{partitionKey}}",
        ["Connectors__Http__Endpoints__things__Method"] = "PUT",
        ["Connectors__Http__Endpoints__notes__Url"] = Url + "/notes",
        ["Connectors__Http__Endpoints__notes__Method"] = "POST",
        ["Connectors__Http__Endpoints__notes__Body"] = "{\"op\": {{id}}, \"key\": {{idempotencyKey}}, \"p\": {{partitionKey}}}",
        ["Connectors__Http__Endpoints__notes__NonIdempotent"] = "true",
        ["Connectors__Http__Endpoints__notes__EffectCheckUrl"] = Url + "/notes/by-op/{{id}}",
    };

    /// <summary>The effects of <paramref name="partitionKey"/> in the order they first arrived (repeats left out).</summary>
    public IReadOnlyList<string> ArrivalOrder(string partitionKey)
    {
        if (!_arrivals.TryGetValue(partitionKey, out var list))
            return [];
        lock (list)
            return list.ToList();
    }

    /// <summary>Every partition key that received an effect.</summary>
    public IReadOnlyCollection<string> PartitionKeys => _arrivals.Keys.ToList();

    private Task PauseAsync() => Delay > TimeSpan.Zero ? Task.Delay(Delay) : Task.CompletedTask;

    private void Record(string effect, string? partitionKey)
    {
        var count = _effects.AddOrUpdate(effect, 1, (_, n) => n + 1);
        if (count != 1 || partitionKey is null)
            return;
        var list = _arrivals.GetOrAdd(partitionKey, _ => []);
        lock (list)
            list.Add(effect);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
