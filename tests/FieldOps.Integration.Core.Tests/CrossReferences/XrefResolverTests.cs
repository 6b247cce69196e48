using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.CrossReferences;
using FieldOps.Integration.Storage.CrossReferences;
using FieldOps.Integration.Testing.Stores;

namespace FieldOps.Integration.Core.Tests.CrossReferences;

/// <summary>The dispatcher's fill-in of a claim's known cross-references (issue 15), on the real SQLite store.</summary>
public sealed class XrefResolverTests : IDisposable
{
    private readonly TestStore _db = new();

    [Fact]
    public async Task FillKnownAsync_OnePayloadAllKnownOneWithAnUnknown_FillsTheFirstAndLeavesTheSecondWhole()
    {
        var xrefs = new CrossReferenceStore(_db.Connections, TimeProvider.System);
        await xrefs.SaveAsync("quickbooks", "Customer", "7", "QB-7", CancellationToken.None);
        await xrefs.SaveAsync("hubspot", "ticket", "J1", "HS-1", CancellationToken.None);
        var known = OperationPayload.Parse(
            """{"fields":{"CustomerRef":{"value":{"$xref":{"system":"quickbooks","type":"Customer","sourceId":"7"}}}},"params":{"ticket":{"$xref":{"system":"hubspot","type":"ticket","sourceId":"J1"}}}}""");
        const string partly =
            """{"fields":{"lines":[{"$xref":{"system":"quickbooks","type":"Customer","sourceId":"7"}},{"$xref":{"system":"quickbooks","type":"Item","sourceId":"404"}}]},"params":{}}""";
        var waiting = OperationPayload.Parse(partly);

        await XrefResolver.FillKnownAsync([known, waiting], xrefs, CancellationToken.None);

        Assert.Equal("""{"CustomerRef":{"value":"QB-7"}}""", known.Fields.ToJsonString());
        Assert.Equal("""{"ticket":"HS-1"}""", known.Params.ToJsonString());
        // All or nothing, as the delivery's own lookup: it finds the unknown one and the row waits for it.
        Assert.Equal(OperationPayload.Parse(partly).Fields.ToJsonString(), waiting.Fields.ToJsonString());
        Assert.Equal(new XrefPlaceholder("quickbooks", "Item", "404"), await XrefResolver.ResolveAsync(waiting, xrefs, CancellationToken.None));
    }

    public void Dispose() => _db.Dispose();
}
