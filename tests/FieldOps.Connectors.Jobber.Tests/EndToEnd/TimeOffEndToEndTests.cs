using System.Text.Json;
using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Testing.EndToEnd;
using WireMock.Server;
using FieldOps.Integration.Testing.Vendors;

namespace FieldOps.Connectors.Jobber.Tests.EndToEnd;

/// <summary>
/// The shipped flow time-off-jobber through the real pipeline: BambooHR time off, as the poll adapter stores it,
/// blocks the technician in Jobber while approved and frees the time again when it is canceled.
/// </summary>
public sealed class TimeOffEndToEndTests : IAsyncLifetime
{
    private readonly WireMockServer _jobber = WireMockServer.Start();
    private DeliveryPipeline _pipeline = null!;

    public async Task InitializeAsync() =>
        _pipeline = await DeliveryPipeline.StartAsync(new Dictionary<string, string?> { ["Sources:hr:Kind"] = "bamboohr" }, (services, _) =>
        {
            services.AddJobberConnectorWithFixedToken(_jobber.Url!);
        });

    private static string Request(string status, string employeeId = "117") => new JsonObject
    {
        ["id"] = "1301",
        ["employeeId"] = employeeId,
        ["name"] = "Sam Ortiz",
        ["start"] = "2026-12-21",
        ["end"] = "2026-12-23",
        ["created"] = "2026-12-01",
        ["type"] = new JsonObject { ["id"] = "78", ["name"] = "Vacation" },
        ["amount"] = new JsonObject { ["unit"] = "days", ["amount"] = "3" },
        ["status"] = new JsonObject { ["status"] = status, ["lastChanged"] = "2026-12-04", ["lastChangedByUserId"] = "2369" },
    }.ToJsonString();

    [Fact]
    public async Task TimeOffApprovedThenCanceled_BlocksThenFreesTheTechnician()
    {
        _jobber.Answer("EventCreate", """{"data":{"eventCreate":{"event":{"id":"ev-55"},"userErrors":[]}}}""");
        _jobber.Answer("EventDelete", """{"data":{"eventDelete":{"userErrors":[]}}}""");

        var approved = await _pipeline.AppendAsync("hr", Request("approved"));
        Assert.Equal(OutboxStates.Delivered, Assert.Single(await _pipeline.SettleAsync(approved, "jobber", 1)).State);
        Assert.Equal("ev-55", await _pipeline.XrefAsync("jobber", "Event", "bamboohr:1301"));
        using (var create = JsonDocument.Parse(_jobber.LogEntries.Single().RequestMessage.Body!))
        {
            var input = create.RootElement.GetProperty("variables").GetProperty("input");
            Assert.Equal("Time off: Sam Ortiz (Vacation)", input.GetProperty("title").GetString());
            Assert.Equal("2026-12-21T00:00:00Z", input.GetProperty("startAt").GetString());
            Assert.Equal("Z2lkOi8vSm9iYmVyL1VzZXIvMTE3", input.GetProperty("assignedTo")[0].GetString());
        }

        var canceled = await _pipeline.AppendAsync("hr", Request("canceled"));
        Assert.Equal(OutboxStates.Delivered, Assert.Single(await _pipeline.SettleAsync(canceled, "jobber", 1)).State);
        using var delete = JsonDocument.Parse(_jobber.LogEntries.Single(e => e.RequestMessage.Body!.Contains("EventDelete(", StringComparison.Ordinal)).RequestMessage.Body!);
        Assert.Equal("ev-55", delete.RootElement.GetProperty("variables").GetProperty("id").GetString());
        Assert.Equal(1, _jobber.Posted("EventCreate"));
    }

    [Fact]
    public async Task TimeOffOfSomeoneWhoIsNotATechnician_IsNotWritten()
    {
        var approved = await _pipeline.AppendAsync("hr", Request("approved", employeeId: "900"));
        for (var i = 0; i < 100 && await _pipeline.InboxStateAsync(approved) == "new"; i++)
            await Task.Delay(50);
        Assert.Empty(await _pipeline.RowsAsync(approved, "jobber"));
        Assert.Empty(_jobber.LogEntries);
    }

    public async Task DisposeAsync()
    {
        await _pipeline.DisposeAsync();
        _jobber.Stop();
    }
}
