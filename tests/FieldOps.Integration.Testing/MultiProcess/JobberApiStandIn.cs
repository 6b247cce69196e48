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
/// Jobber's API for hydration by real workers (one loopback Kestrel port, shared by every worker): <c>POST /oauth/token</c>
/// hands out tokens, and <c>POST /graphql</c> answers a query for <c>variables.id</c> with that entity's record (from
/// <see cref="Serve"/>; <c>null</c> for an unknown id), after <see cref="Delay"/> (keeps fetches in flight for a kill).
/// Every query is recorded with its arrival time, so a test counts fetches per entity whichever worker made them.
/// <see cref="Environment"/> points a cluster's <c>jobber</c> source here (hydration on, not webhook-only).
/// </summary>
public sealed class JobberApiStandIn : IAsyncDisposable
{
    private const string Cost =
        """{"cost":{"requestedQueryCost":48,"actualQueryCost":20,"throttleStatus":{"maximumAvailable":10000,"currentlyAvailable":9980,"restoreRate":500}},"versioning":{"version":"2025-04-16"}}""";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (string Field, string Record)> _records = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<DateTimeOffset>> _fetches = new(StringComparer.Ordinal);
    private long _tokens;

    private JobberApiStandIn(WebApplication app, TimeSpan delay)
    {
        _app = app;
        Delay = delay;
    }

    /// <summary>The base URL (<c>http://127.0.0.1:{port}/</c>): Jobber's <c>ApiBaseUrl</c>.</summary>
    public string Url { get; private set; } = "";

    /// <summary>How long each GraphQL query takes before it answers.</summary>
    public TimeSpan Delay { get; }

    /// <summary>Token calls so far.</summary>
    public long TokenCalls => Interlocked.Read(ref _tokens);

    /// <summary>GraphQL queries so far, for every entity.</summary>
    public int Fetches => _fetches.Values.Sum(q => q.Count);

    /// <summary>Entity id → when each query for it arrived.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<DateTimeOffset>> FetchesById =>
        _fetches.ToDictionary(f => f.Key, f => (IReadOnlyList<DateTimeOffset>)[.. f.Value], StringComparer.Ordinal);

    /// <summary>How many queries named <paramref name="id"/>.</summary>
    public int FetchesOf(string id) => _fetches.TryGetValue(id, out var q) ? q.Count : 0;

    /// <summary>The settings of a cluster's <c>jobber</c> source that hydrate from here (<c>Section__Key</c> form).</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["Sources__jobber__WebhookOnly"] = "false",
        ["Sources__jobber__ApiBaseUrl"] = Url,
        ["Sources__jobber__ClientId"] = "jobber-client-id",
        ["Sources__jobber__RefreshToken"] = "jobber-refresh-token-1",
        ["Sources__jobber__ApiVersion"] = "2025-04-16",
    };

    /// <summary>Answers queries for <paramref name="id"/> with <paramref name="record"/> under <c>data.{field}</c> (e.g. <c>job</c>).</summary>
    public void Serve(string field, string id, JsonNode record) => _records[id] = (field, record.ToJsonString());

    /// <summary>Starts on a free loopback port.</summary>
    public static async Task<JobberApiStandIn> StartAsync(TimeSpan delay = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var api = new JobberApiStandIn(app, delay);
        app.MapPost("/oauth/token", () =>
        {
            var n = Interlocked.Increment(ref api._tokens);
            return Results.Text($$"""{"access_token":"access-{{n}}","refresh_token":"refresh-{{n + 1}}","expires_in":3600}""", "application/json");
        });
        app.MapPost("/graphql", async (HttpRequest request) =>
        {
            var arrived = DateTimeOffset.UtcNow;
            var query = await JsonNode.ParseAsync(request.Body).ConfigureAwait(false);
            var id = query?["variables"]?["id"]?.GetValue<string>() ?? "";
            api._fetches.GetOrAdd(id, _ => new ConcurrentQueue<DateTimeOffset>()).Enqueue(arrived);
            if (api.Delay > TimeSpan.Zero)
                await Task.Delay(api.Delay).ConfigureAwait(false);
            var data = api._records.TryGetValue(id, out var served) ? $$"""{"{{served.Field}}":{{served.Record}}}""" : """{"job":null}""";
            return Results.Text($$"""{"data":{{data}},"extensions":{{Cost}}}""", "application/json");
        });
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        api.Url = address.TrimEnd('/') + "/";
        return api;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
