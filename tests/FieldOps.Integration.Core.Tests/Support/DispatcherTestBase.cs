using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Testing.Stores;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace FieldOps.Integration.Core.Tests.Support;

/// <summary>A temp store, a WireMock target and a dispatcher harness started on demand with the <c>things</c> endpoint.</summary>
public abstract class DispatcherTestBase : IAsyncLifetime, IDisposable
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private DispatcherHarness? _harness;

    protected TestStore Db { get; } = new();

    protected WireMockServer Target { get; } = WireMockServer.Start();

    protected DispatcherHarness Harness => _harness ?? throw new InvalidOperationException("StartAsync first.");

    public Task InitializeAsync() => Task.CompletedTask;

    protected async Task StartAsync(Dictionary<string, string?>? settings = null, Action<IServiceCollection, IConfiguration>? more = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Connectors:Http:Endpoints:things:Url"] = Target.Url + "/things/{{idempotencyKey}}",
            ["Connectors:Http:Endpoints:things:Method"] = "PUT",
        };
        foreach (var (key, value) in settings ?? [])
            all[key] = value;
        _harness = new DispatcherHarness(Db, all, more);
        await _harness.StartAsync();
    }

    /// <summary>
    /// The target holds its answer to the things' PUT until <paramref name="answer"/> completes (10 s at most); the task
    /// returned completes when a call has reached it. Deterministic where a delay is not: on a loaded machine the test can
    /// fall behind a delayed answer, and WireMock logs a request only once it has been answered.
    /// </summary>
    protected Task HoldingThingsTarget(Task answer)
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Target.Given(Request.Create().WithPath("/things/*").UsingPut())
            .RespondWith(Response.Create().WithCallback(async _ =>
            {
                arrived.TrySetResult();
                await answer.WaitAsync(Patience);
                return (IResponseMessage)new ResponseMessage { StatusCode = 200, BodyData = new BodyData { BodyAsString = "{\"id\":\"ok\"}", DetectedBodyType = BodyType.String } };
            }));
        return arrived.Task;
    }

    protected static TestRow Thing(string key, string partition = "p1", string endpoint = "things", object? fields = null) =>
        new(partition, new { fields = fields ?? new { name = key }, @params = new { endpoint } }, IdempotencyKey: key);

    protected Task WaitForStateAsync(string id, string state) =>
        DispatcherHarness.WaitForAsync(async () => await Harness.StateAsync(id) == state, Patience);

    protected async Task<OutboxRowStatus> StatusAsync(string id) => (await Harness.Outbox.GetStatusAsync(id, CancellationToken.None))!;

    public async Task DisposeAsync()
    {
        if (_harness is not null)
            await _harness.DisposeAsync();
        Target.Stop();
    }

    public void Dispose()
    {
        Db.Dispose();
        Target.Dispose();
        GC.SuppressFinalize(this);
    }
}
