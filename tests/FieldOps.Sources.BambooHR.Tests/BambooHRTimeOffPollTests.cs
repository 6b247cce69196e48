using FieldOps.Integration.Testing.Sources;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FieldOps.Sources.BambooHR.Tests;

/// <summary>The time-off poll through the poll runner into a SQLite inbox, against WireMock answering like BambooHR.</summary>
public sealed class BambooHRTimeOffPollTests : IAsyncLifetime
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

    private void Answer(string status) =>
        _server.Given(Request.Create().WithPath("/api/v1/time_off/requests").UsingGet()).RespondWith(Response.Create()
            .WithHeader("Content-Type", "application/json")
            .WithBody($$$"""
                [{"id":"1301","employeeId":"117","name":"Sam Ortiz","start":"2026-12-21","end":"2026-12-23","created":"2026-12-01",
                  "status":{"lastChanged":"2026-12-04","lastChangedByUserId":"2369","status":"{{{status}}}"},
                  "type":{"id":"78","name":"Vacation","icon":"palm-trees"},"amount":{"unit":"days","amount":"3"},
                  "actions":{"view":true,"edit":false,"cancel":false,"approve":false,"deny":false,"bypass":false},
                  "dates":{"2026-12-21":"1","2026-12-22":"1","2026-12-23":"1"},"notes":{}}]
                """));

    [Fact]
    public async Task Poll_ApprovedThenCanceled_IsTwoEvents_AndAnUnchangedRequestAddsNothing()
    {
        Answer("approved");
        Assert.Equal(1, (await _host.PollAsync()).Appended);
        Assert.Equal(0, (await _host.PollAsync()).Appended);

        Answer("canceled");
        Assert.Equal(1, (await _host.PollAsync()).Appended);

        Assert.Equal(["TimeOff:1301:approved:2026-12-21:2026-12-23", "TimeOff:1301:canceled:2026-12-21:2026-12-23"], _host.InboxDedupKeys());
        var request = _server.LogEntries[^1].RequestMessage;
        Assert.Equal("Basic " + Convert.ToBase64String("bhr-test-api-key:x"u8), request.Headers!["Authorization"].Single());
        Assert.NotNull(request.Query!["start"].Single());
        Assert.NotNull(request.Query["end"].Single());
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _server.Stop();
    }
}
