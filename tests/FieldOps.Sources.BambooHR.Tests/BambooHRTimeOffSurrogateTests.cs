using FieldOps.Integration.Testing.Sources;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FieldOps.Sources.BambooHR.Tests;

/// <summary>
/// A time-off request whose employee name was cut through an emoji, answered with half a surrogate pair as an escape
/// (<c>\ud83d</c>): before, the poll failed at every run ('Cannot read incomplete UTF-16 JSON text') and no request of
/// the window was stored — the source stalled behind one name.
/// </summary>
public sealed class BambooHRTimeOffSurrogateTests : IAsyncLifetime
{
    private readonly WireMockServer _server = WireMockServer.Start();
    private PollTestHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await PollTestHost.StartAsync("hr", new Dictionary<string, string?>
        {
            ["Kind"] = "bamboohr",
            ["ApiBaseUrl"] = _server.Url,
            ["ApiKey"] = "bhr-test-api-key",
            ["Poll:Adapter"] = "bamboohr-timeoff",
            ["Poll:Interval"] = "00:05:00",
        }, services => services.AddBambooHRSource());

    [Fact]
    public async Task Poll_RequestsHoldHalfAPair_AreStoredAndTheSameStateAddsNothing()
    {
        _server.Given(Request.Create().WithPath("/api/v1/time_off/requests").UsingGet()).RespondWith(Response.Create()
            .WithHeader("Content-Type", "application/json")
            .WithBody("""
                [{"id":"1301","employeeId":"117","name":"Sam \ud83d","start":"2026-12-21","end":"2026-12-23","status":{"status":"approved"}},
                 {"id":"13\ud83d02","employeeId":"118","name":"Ana","start":"2026-12-22","end":"2026-12-22","status":{"status":"requested"}}]
                """));

        var first = await _host.PollAsync();
        var second = await _host.PollAsync();

        Assert.Equal((2, (string?)null), (first.Appended, first.Error));
        Assert.Equal((0, 2, (string?)null), (second.Appended, second.Duplicates, second.Error));
        Assert.Equal(["TimeOff:1301:approved:2026-12-21:2026-12-23", "TimeOff:13\uFFFD02:requested:2026-12-22:2026-12-22"], _host.InboxDedupKeys());
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _server.Stop();
    }
}
