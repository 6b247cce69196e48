using FieldOps.Integration.Core.Connectors;

namespace FieldOps.Integration.Core.Tests.Connectors;

/// <summary>
/// The stored payload is parsed after the claim has committed its leases (issue 15: outside SQLite's write lock), so
/// parsing must never throw: a row that could not reach the dispatcher would keep its lease, renewed while the
/// dispatcher holds other rows. Text that is not a payload gives one with an error, which dead-letters the row.
/// </summary>
public sealed class OperationPayloadTests
{
    [Theory]
    [InlineData("""{"fields": {"a": 1}, "fields": {"a": 2}}""")]
    [InlineData("""{"fields": {"a": 1, "a": 2}, "params": {}}""")]
    [InlineData("""{"fields": {}, "params": {"endpoint": "x", "endpoint": "y"}}""")]
    public void Parse_DuplicateProperties_GivesAnErrorInsteadOfThrowing(string json)
    {
        var payload = OperationPayload.Parse(json);
        _ = payload.ToJsonString();

        Assert.NotNull(payload.Error);
    }

    [Fact]
    public void Parse_AGoodPayload_HasNoError()
    {
        var payload = OperationPayload.Parse("""{"fields": {"a": 1}, "params": {"endpoint": "x"}}""");

        Assert.Null(payload.Error);
        Assert.Equal("""{"fields":{"a":1},"params":{"endpoint":"x"}}""", payload.ToJsonString());
    }
}
