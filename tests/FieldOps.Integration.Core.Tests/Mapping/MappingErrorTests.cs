using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Mapping.Evaluation;
using FieldOps.Integration.Core.Mapping.Loading;

namespace FieldOps.Integration.Core.Tests.Mapping;

/// <summary>Every error names the file, line and column of the character that caused it.</summary>
public sealed class MappingErrorTests
{
    private const string FlowHead = """
        kind: flow
        when:
          type: CustomerUpserted
        operations:
          - key: account
            connector: salesforce
            operation: upsert
            objectType: Account
            idempotencyKey: entity.id

        """;

    [Fact]
    public void Load_BadYaml_ReportsLineAndColumn()
    {
        var diagnostic = Assert.Single(LoadWithFlow("kind: flow\nwhen:\n  type: JobCompleted\n   condition: \"true\"\noperations: []\n"));

        Assert.Equal((4, 13), (diagnostic.Line, diagnostic.Column));
        Assert.EndsWith("flows/flow.yaml", diagnostic.File, StringComparison.Ordinal);
        Assert.StartsWith("YAML:", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SchemaViolation_PointsAtTheValue()
    {
        var diagnostic = Assert.Single(LoadWithFlow(FlowHead.Replace("operation: upsert", "operation: destroy", StringComparison.Ordinal) + "    partitionKey: entity.id\n"));

        Assert.Equal((7, 16), (diagnostic.Line, diagnostic.Column));
        Assert.Equal("operations[0].operation", diagnostic.Field);
        Assert.Contains("'destroy' is not allowed", diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("; allowed: upsert", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownOperationConnector_ListsTheOperationsConnectors_NotTheEnrichReadsOnes()
    {
        // The schema has two "connector" enums (an enrich read's: salesforce, hubspot; an operation's: all six); the
        // message lists the one at the value's place.
        var diagnostic = Assert.Single(LoadWithFlow(FlowHead.Replace("connector: salesforce", "connector: quickbook", StringComparison.Ordinal) + "    partitionKey: entity.id\n"));

        Assert.Equal("operations[0].connector", diagnostic.Field);
        Assert.Contains("'quickbook' is not allowed (did you mean 'quickbooks'?); allowed: salesforce, hubspot, quickbooks, bamboohr, http, jobber",
            diagnostic.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("objectType: Account", "objectType: \"Acc\\0ount\"", "operations[0].objectType", 8, 17)]
    [InlineData("    partitionKey: entity.id", "    \"partition\\x00Key\": entity.id", "operations[0].partition\\u0000Key", 10, 5)]
    public void Load_NulCharacterInTheFile_IsRefusedNamingWhere(string text, string withNul, string field, int line, int column)
    {
        // PostgreSQL's text cannot hold a NUL: a flow writing one into every row would park every event it takes.
        var diagnostic = Assert.Single(LoadWithFlow((FlowHead + "    partitionKey: entity.id\n").Replace(text, withNul, StringComparison.Ordinal)));

        Assert.Equal((line, column, field), (diagnostic.Line, diagnostic.Column, diagnostic.Field));
        Assert.StartsWith("holds a NUL character", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_HalfASurrogatePairInTheFile_IsRefusedNamingWhere()
    {
        // A YAML "\ud83d" escape is half a character, which Npgsql refuses to send: YamlDotNet's scanner refuses it already,
        // naming where (the loader's own check, as for a NUL, would name the field).
        var diagnostic = Assert.Single(LoadWithFlow(FlowHead.Replace("objectType: Account", "objectType: \"Acc\\ud83dount\"", StringComparison.Ordinal)
            + "    partitionKey: entity.id\n"));

        Assert.Equal(8, diagnostic.Line);
        Assert.StartsWith("YAML: While scanning a quoted scalar", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingRequiredField_PointsAtTheOperation()
    {
        var diagnostic = Assert.Single(LoadWithFlow(FlowHead));

        Assert.Equal((5, 5), (diagnostic.Line, diagnostic.Column));
        Assert.Contains("partitionKey", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownProperty_PointsAtTheKey()
    {
        var diagnostic = Assert.Single(LoadWithFlow(FlowHead + "    partitionKey: entity.id\n    feilds:\n      Name: entity.displayName\n"));

        Assert.Equal((11, 5), (diagnostic.Line, diagnostic.Column));
        Assert.Contains("unknown property 'feilds'", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_JsonataSyntaxErrorInQuotedScalar_PointsAtTheToken()
    {
        var diagnostic = Assert.Single(LoadWithFlow(FlowHead + "    partitionKey: \"'sf:' & & entity.id\"\n"));

        // Line 10 is `    partitionKey: "'sf:' & & entity.id"`: the second & is column 28.
        Assert.Equal((10, 28), (diagnostic.Line, diagnostic.Column));
        Assert.Equal("operations[0].partitionKey", diagnostic.Field);
        Assert.Contains("S0211", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_JsonataSyntaxErrorInBlockScalar_AccountsForIndentation()
    {
        var text = FlowHead + "    partitionKey: entity.id\n    fields:\n      Name: |\n        $join([\n          entity.firstName,\n          entity.lastName ]]\n        )\n";

        var diagnostic = Assert.Single(LoadWithFlow(text));

        // Line 15 is `          entity.lastName ]]`: the second ] is column 28.
        Assert.Equal((15, 28), (diagnostic.Line, diagnostic.Column));
        Assert.Equal("operations[0].fields.Name", diagnostic.Field);
    }

    [Fact]
    public void Load_LookupNamedLikeABuiltIn_IsRefused()
    {
        var diagnostic = Assert.Single(LoadWithFlow(FlowHead + "    partitionKey: entity.id\nlookups:\n  lookup: { a: b }\n"));

        Assert.Equal((12, 3), (diagnostic.Line, diagnostic.Column));
        Assert.Contains("shadow", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_StringTimesNumber_ParksWithFileLineColumnAndField()
    {
        var outcome = MapCustomer(FlowHead + "    partitionKey: entity.id\n    fields:\n      Score: \"1 + entity.displayName * 2\"\n");

        Assert.Equal(MappingOutcomeKind.Parked, outcome.Kind);
        // Line 12 is `      Score: "1 + entity.displayName * 2"`: the * is column 38.
        Assert.Contains("flows/flow.yaml:12:38: operations[0].fields.Score: JSONata T2001", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_RuntimeErrorInBlockScalar_AccountsForIndentation()
    {
        var outcome = MapCustomer(FlowHead + "    partitionKey: entity.id\n    fields:\n      Score: |\n        1 +\n          entity.displayName * 2\n");

        Assert.Equal(MappingOutcomeKind.Parked, outcome.Kind);
        Assert.Contains("flows/flow.yaml:14:30: operations[0].fields.Score", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_RequiredFieldMissingInEvent_ParksAtTheExpression()
    {
        var outcome = MapCustomer(FlowHead + "    partitionKey: entity.accountNumber\n");

        Assert.Equal(MappingOutcomeKind.Parked, outcome.Kind);
        Assert.Contains("flows/flow.yaml:10:19: operations[0].partitionKey: partitionKey gave no value", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_EntityBreaksCanonicalSchema_ParksAtTheProfile()
    {
        var set = Load(FlowHead + "    partitionKey: entity.id\n");
        var payload = Sample();
        payload["entity"]!.AsObject().Remove("displayName");

        var outcome = new MappingEngine(TimeProvider.System).Map(set, Event(payload));

        Assert.Equal(MappingOutcomeKind.Parked, outcome.Kind);
        Assert.Contains("profiles/canonical.yaml:17:8: entities.*: canonical Customer", outcome.Reason, StringComparison.Ordinal);
        Assert.Contains("displayName", outcome.Reason, StringComparison.Ordinal);
    }

    private static IReadOnlyList<MappingDiagnostic> LoadWithFlow(string flow)
    {
        using var folder = Folder(flow);
        var result = MappingLoader.Load(folder.Root);
        Assert.Null(result.Set);
        return result.Diagnostics;
    }

    private static MappingOutcome MapCustomer(string flow) => new MappingEngine(TimeProvider.System).Map(Load(flow), Event(Sample()));

    private static Core.Mapping.Model.MappingSet Load(string flow)
    {
        using var folder = Folder(flow);
        var result = MappingLoader.Load(folder.Root);
        Assert.Empty(result.Diagnostics);
        return result.Set!;
    }

    private static MappingFolder Folder(string flow)
    {
        var folder = new MappingFolder(withShipped: false);
        folder.Write("profiles/canonical.yaml", File.ReadAllText(Path.Combine(MappingFolder.Shipped, "profiles", "canonical.yaml")));
        folder.Write("flows/flow.yaml", flow);
        return folder;
    }

    private static JsonObject Sample() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(MappingFolder.Shipped, "samples", "canonical-customer-upserted.json")))!.AsObject();

    private static SourceEvent Event(JsonNode payload) => new("1", "acme", "canonical", DateTimeOffset.UnixEpoch, "k", payload);
}
