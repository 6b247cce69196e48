using System.Text.Json;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Testing.Stores;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Types;
using WireMock.Util;

namespace FieldOps.Integration.Core.Tests.Support;

/// <summary>
/// A dispatcher harness with <see cref="WireMockBatchConnector"/> registered against the WireMock target: its
/// answers, and the keys each batch request carried.
/// </summary>
public abstract class BatchDispatcherTestBase : DispatcherTestBase
{
    protected Task StartBatchAsync(Dictionary<string, string?>? settings = null, TimeSpan? clientTimeout = null, Action<IServiceCollection>? more = null) =>
        StartAsync(settings, BatchConnector(clientTimeout, more));

    /// <summary>Registers <see cref="WireMockBatchConnector"/> on the target (for a harness of one's own), and <paramref name="more"/>.</summary>
    protected Action<IServiceCollection, IConfiguration> BatchConnector(TimeSpan? clientTimeout = null, Action<IServiceCollection>? more = null) => (services, _) =>
    {
        more?.Invoke(services);
        services.AddHttpClient(WireMockBatchConnector.ConnectorName, c =>
        {
            c.BaseAddress = new Uri(Target.Url!);
            c.Timeout = clientTimeout ?? TimeSpan.FromSeconds(30); // generous: a loaded CI machine
        });
        services.AddSingleton<IConnector, WireMockBatchConnector>();
    };

    protected sealed class CountingTokenEndpoint : ITokenEndpoint
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public string? SeedRefreshToken => null;

        public Task<TokenGrant> RequestTokenAsync(string? refreshToken, CancellationToken cancellationToken) =>
            Task.FromResult(new TokenGrant($"tok-{Interlocked.Increment(ref _calls)}", null, TimeSpan.FromHours(1), new Dictionary<string, string>()));
    }

    protected static TestRow Row(string key) =>
        new("batch:" + key, new { fields = new { name = key } }, Connector: WireMockBatchConnector.ConnectorName, IdempotencyKey: key);

    protected static object Ok(string key) => new { key, status = "ok", id = "T-" + key };

    protected void Answer(params object[] results) =>
        Target.Given(Request.Create().WithPath("/batch").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { results }));

    // A call counter rather than a WireMock scenario: retries jittered apart may still arrive together.
    protected void RespondByCall(Func<int, ResponseMessage> respond)
    {
        var calls = 0;
        Target.Given(Request.Create().WithPath("/batch").UsingPost())
            .RespondWith(Response.Create().WithCallback(_ => respond(Interlocked.Increment(ref calls))));
    }

    protected static ResponseMessage Json(int status, object body) => new()
    {
        StatusCode = status,
        Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json") },
        BodyData = new BodyData { BodyAsString = JsonSerializer.Serialize(body), DetectedBodyType = BodyType.String },
    };

    /// <summary>The keys each POST to <c>/batch</c> carried, in the order the target received them.</summary>
    protected List<string[]> Requests() => Target.LogEntries
        .Where(e => e.RequestMessage.Method == "POST" && e.RequestMessage.Path == "/batch")
        .OrderBy(e => e.RequestMessage.DateTime)
        .Select(e => JsonDocument.Parse(e.RequestMessage.Body!).RootElement.EnumerateArray().Select(i => i.GetProperty("key").GetString()!).ToArray())
        .ToList();
}
