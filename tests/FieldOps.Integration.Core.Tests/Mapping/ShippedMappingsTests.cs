using FieldOps.Integration.Core.Mapping.Evaluation;
using FieldOps.Integration.Core.Mapping.Loading;
using FieldOps.Integration.Core.Mapping.Testing;
using FieldOps.Integration.Core.Tests.Routing;

namespace FieldOps.Integration.Core.Tests.Mapping;

public sealed class ShippedMappingsTests
{
    [Fact]
    public void Schema_EveryShippedFile_Validates()
    {
        var files = MappingLoader.ListFiles(MappingFolder.Shipped);
        Assert.True(files.Count >= 14, $"expected the shipped profiles, flows and tests, found {files.Count}");
        foreach (var file in files)
        {
            var document = YamlJsonReader.Read(file, File.ReadAllText(file));
            Assert.Empty(SchemaCatalog.ValidateMappingFile(document.Root));
        }
    }

    [Fact]
    public void Load_ShippedMappings_CompilesEveryFlowAndProfile()
    {
        var result = MappingLoader.Load(MappingFolder.Shipped);

        Assert.Empty(result.Diagnostics);
        Assert.NotNull(result.Set);
        Assert.Equal(["bamboohr", "canonical", "hubspot", "jobber", "salesforce"], result.Set.ProfilesBySourceKind.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(
            ["customer-hubspot", "customer-quickbooks", "customer-salesforce", "job-completed-bamboohr", "job-completed-hubspot", "job-completed-quickbooks",
             "job-completed-salesforce", "service-request-jobber", "time-entry-bamboohr", "time-off-jobber", "visit-crm-context"],
            result.Set.Flows.Select(f => f.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RunTests_ShippedMappingTests_AllPass()
    {
        var set = MappingLoader.Load(MappingFolder.Shipped).Set!;

        var results = await MappingTestRunner.RunAsync(set, new MappingEngine(TimeProvider.System));

        Assert.True(results.Count >= 4);
        Assert.All(results, r => Assert.True(r.Passed, $"{r.File}: {string.Join("; ", r.Differences)}"));
    }

    [Fact]
    public void Map_TimeEntryAloneAndInsideItsJob_GiveTheSameBambooHrKey()
    {
        var set = MappingLoader.Load(MappingFolder.Shipped).Set!;
        var engine = new MappingEngine(TimeProvider.System);

        var job = engine.Map(set, Jobber("jobber-job-closed.json")).Operations.Where(o => o.Connector == "bamboohr").ToList();
        var alone = Assert.Single(engine.Map(set, Jobber("jobber-timesheet-update.json")).Operations);

        Assert.Equal(2, job.Count);
        var same = Assert.Single(job, o => o.IdempotencyKey == alone.IdempotencyKey);
        Assert.Equal(alone.Payload.ToJsonString(), same.Payload.ToJsonString());
        Assert.True(alone.IdempotencyKey.Length <= 36);
    }

    [Fact]
    public async Task RunTests_ChangedExpectation_ReportsTheDifference()
    {
        using var folder = new MappingFolder();
        var test = folder.Read("tests/jobber-job-closed.test.yaml").Replace("\"Amount\": 59.97", "\"Amount\": 59.98", StringComparison.Ordinal);
        folder.Write("tests/jobber-job-closed.test.yaml", test);
        var set = MappingLoader.Load(folder.Root).Set!;

        var results = await MappingTestRunner.RunAsync(set, new MappingEngine(TimeProvider.System));

        var failed = Assert.Single(results, r => !r.Passed);
        Assert.Contains(failed.Differences, d => d.Contains("Line[1].Amount: expected 59.98, got 59.97", StringComparison.Ordinal));
    }

    // Issue 18: a flow that fails while the event's other flows map would park the event at runtime; the test says so.
    [Fact]
    public async Task RunTests_OneFlowFailsAtRuntime_FailsTheTestNamingTheFlow()
    {
        using var folder = new MappingFolder();
        var flow = folder.Read("flows/customer-salesforce.yaml");
        folder.Write("flows/customer-salesforce.yaml", flow.Replace("Name: entity.displayName", "Name: \"$error('broken on purpose')\"", StringComparison.Ordinal));
        var set = MappingLoader.Load(folder.Root).Set!;

        var results = await MappingTestRunner.RunAsync(set, new MappingEngine(TimeProvider.System));

        var failed = Assert.Single(results, r => r.File.EndsWith("canonical-customer-upserted.test.yaml", StringComparison.Ordinal));
        Assert.False(failed.Passed);
        Assert.Contains(failed.Differences, d => d.StartsWith("parked flow customer-salesforce: ", StringComparison.Ordinal) && d.Contains("broken on purpose", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("jobber-job-closed.json")]
    [InlineData("jobber-timesheet-update.json")]
    [InlineData("jobber-client-update.json")]
    [InlineData("jobber-job-closed-thin.json")]
    [InlineData("jobber-visit-create.json")]
    public void Map_EventParsedFromText_GivesWhatTheSameEventAsANodeGives(string sample)
    {
        // The router's events are parsed from text (SourceEvent.Parse), and the engine reads their payload from the
        // parsed element instead of walking the node: the outcome must not tell them apart.
        var set = MappingLoader.Load(MappingFolder.Shipped).Set!;
        var engine = new MappingEngine(TimeProvider.System);
        var parsed = SourceEvent.Parse("1", "jobber-main", "jobber", DateTimeOffset.UnixEpoch, "k", RouterHarness.Sample(sample));
        Assert.NotNull(parsed.PayloadElement);

        Assert.Equal(Describe(engine.Map(set, Jobber(sample))), Describe(engine.Map(set, parsed)));
    }

    [Fact]
    public void Map_ParsedEventWhosePayloadWasReplaced_MapsTheNewPayload()
    {
        var set = MappingLoader.Load(MappingFolder.Shipped).Set!;
        var engine = new MappingEngine(TimeProvider.System);
        var parsed = SourceEvent.Parse("1", "jobber-main", "jobber", DateTimeOffset.UnixEpoch, "k", RouterHarness.Sample("jobber-timesheet-update.json"));
        var replaced = parsed with { Payload = Jobber("jobber-job-closed.json").Payload };

        Assert.Null(replaced.PayloadElement);
        Assert.Equal(Describe(engine.Map(set, Jobber("jobber-job-closed.json"))), Describe(engine.Map(set, replaced)));
    }

    [Fact]
    public void Parse_APropertyTwiceInOneObject_IsNotJson()
    {
        // The router parks such an event as "the payload is not JSON", as walking the parsed node refused it before.
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => SourceEvent.Parse("1", "jobber-main", "jobber", DateTimeOffset.UnixEpoch, "k", """{"a": 1, "a": 2}"""));
    }

    private static string Describe(MappingOutcome outcome) =>
        $"{outcome.Kind} {outcome.Reason} {outcome.CanonicalEvent?.ToJsonString()} " +
        string.Join("\n", outcome.Operations.Select(o => $"{o.Flow} {o.OperationKey} {o.IdempotencyKey} {o.PartitionKey} {o.Payload.ToJsonString()}"));

    private static SourceEvent Jobber(string sample) =>
        new("1", "jobber-main", "jobber", DateTimeOffset.UnixEpoch, "k", System.Text.Json.Nodes.JsonNode.Parse(RouterHarness.Sample(sample)));
}
