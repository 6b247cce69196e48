using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Tests.Support;
using FieldOps.Integration.Testing.Stores;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace FieldOps.Integration.Core.Tests.Dispatch;

/// <summary>
/// The payload is parsed once, when the row is claimed: stored text that is not <c>{"fields": {…}, "params": {…}}</c>
/// is dead-lettered at once by the dispatcher (no connector sees it), and a good row's payload reaches the target intact.
/// </summary>
public sealed class DispatcherPayloadTests : DispatcherTestBase
{
    [Theory]
    [InlineData(new[] { 1, 2 }, "The payload is not a JSON object")]
    [InlineData("fields", "The payload is not a JSON object")]
    public async Task Dispatch_StoredPayloadThatIsNotAnObject_IsDeadAtOnceWithoutACall(object payload, string expected)
    {
        Target.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { id = "T-1" }));
        var rows = await Db.AddRowsAsync(new TestRow("p1", payload), Thing("k2", "p2"));

        await StartAsync();
        await WaitForStateAsync(rows[0].Id, OutboxStates.Dead);
        await WaitForStateAsync(rows[1].Id, OutboxStates.Delivered);

        var dead = await StatusAsync(rows[0].Id);
        Assert.Contains(expected, dead.DeadReason, StringComparison.Ordinal);
        Assert.Equal(1, dead.Attempts);
        var call = Assert.Single(Target.LogEntries);
        Assert.Equal("/things/k2", call.RequestMessage.Path);
        Assert.Equal("""{"name":"k2"}""", call.RequestMessage.Body);
    }

    [Fact]
    public async Task Dispatch_FieldsThatAreNotAnObject_IsDeadNamingThem()
    {
        Target.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithStatusCode(200));
        var rows = await Db.AddRowsAsync(new TestRow("p1", new { fields = "a", @params = new { endpoint = "things" } }));

        await StartAsync();
        await WaitForStateAsync(rows[0].Id, OutboxStates.Dead);

        Assert.Contains("fields and params must be JSON objects", (await StatusAsync(rows[0].Id)).DeadReason, StringComparison.Ordinal);
        Assert.Empty(Target.LogEntries);
    }
}
