using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Mapping.Evaluation;
using FieldOps.Integration.Core.Mapping.Loading;
using FieldOps.Integration.Core.Mapping.Model;
using FieldOps.Integration.Core.Tests.Routing;
using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Core.Tests.Mapping;

/// <summary>Hot reload through a real file-system watcher on a temporary mappings folder.</summary>
public sealed class MappingWatcherTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Watcher_GoodEdit_TakesEffectWithoutRestart()
    {
        await using var harness = await RouterHarness.StartAsync();
        using var watcher = await StartWatcherAsync(harness.Catalog);
        var before = harness.Catalog.Current;
        var flow = harness.Mappings.Read("flows/customer-salesforce.yaml");

        harness.Mappings.Write("flows/customer-salesforce.yaml", flow.Replace("Name: entity.displayName", "Name: \"$uppercase(entity.displayName)\"", StringComparison.Ordinal));

        var after = await WaitForAsync(() => harness.Catalog.Current is { } c && c != before ? c : null);
        Assert.Empty(harness.Catalog.Refused);
        var account = Account(after);
        Assert.Equal("BLUEBIRD BAKERY", account["payload"]!["fields"]!["Name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Watcher_BrokenEdit_IsRefusedAndTheOldMappingKeepsWorking()
    {
        await using var harness = await RouterHarness.StartAsync();
        using var watcher = await StartWatcherAsync(harness.Catalog);
        var before = harness.Catalog.Current!;
        var flow = harness.Mappings.Read("flows/customer-salesforce.yaml");

        harness.Mappings.Write("flows/customer-salesforce.yaml", flow.Replace("Name: entity.displayName", "Name: \"entity.displayName &\"", StringComparison.Ordinal));

        var refused = await WaitForAsync(() => harness.Catalog.Refused.Count > 0 ? harness.Catalog.Refused : null);
        Assert.Contains("customer-salesforce.yaml:16:", refused[0].ToString(), StringComparison.Ordinal);
        Assert.Same(before, harness.Catalog.Current);
        Assert.Equal("Bluebird Bakery", Account(harness.Catalog.Current!)["payload"]!["fields"]!["Name"]!.GetValue<string>());
        var id = await harness.AppendAsync("fsm", RouterHarness.Sample("canonical-customer-upserted.json"));
        await harness.Router.RouteBatchAsync(CancellationToken.None);
        Assert.Equal(3, (await harness.OutboxAsync(id)).Count);
    }

    [Fact]
    public async Task Watcher_EditWritingAFieldTheTargetDoesNotHave_IsRefused_UnlessMarkedKnownUnknown()
    {
        await using var harness = await RouterHarness.StartAsync();
        using var watcher = await StartWatcherAsync(harness.Catalog);
        var before = harness.Catalog.Current!;
        var flow = harness.Mappings.Read("flows/time-entry-bamboohr.yaml");
        var typo = flow.Replace("      rateType: \"'REG'\"", "      rateType: \"'REG'\"\n      fsVisitId: entity.id", StringComparison.Ordinal);
        Assert.NotEqual(flow, typo);

        harness.Mappings.Write("flows/time-entry-bamboohr.yaml", typo);

        var refused = await WaitForAsync(() => harness.Catalog.Refused.Count > 0 ? harness.Catalog.Refused : null);
        var problem = Assert.Single(refused);
        Assert.Contains("time-entry-bamboohr.yaml:", problem.ToString(), StringComparison.Ordinal);
        Assert.Equal("operations[0].fields.fsVisitId", problem.Field);
        Assert.Contains("unknown field 'fsVisitId' of BambooHR TimeTrackingRecord", problem.Message, StringComparison.Ordinal);
        Assert.Same(before, harness.Catalog.Current);

        // The admin marks the field as created later in BambooHR: the flow loads, with a warning.
        harness.Mappings.Write("flows/time-entry-bamboohr.yaml", typo.Replace("    fields:", "    knownUnknownFields: [fsVisitId]\n    fields:", StringComparison.Ordinal));

        var after = await WaitForAsync(() => harness.Catalog.Current is { } c && c != before ? c : null);
        Assert.Empty(harness.Catalog.Refused);
        Assert.Contains(after.Flows, f => f.Name == "time-entry-bamboohr");
    }

    [Fact]
    public async Task Watcher_FileAddedThenDeleted_FlowComesAndGoes()
    {
        await using var harness = await RouterHarness.StartAsync();
        using var watcher = await StartWatcherAsync(harness.Catalog);
        var shipped = harness.Catalog.Current!.Flows.Count;
        var copy = harness.Mappings.Read("flows/customer-hubspot.yaml").Replace("name: customer-hubspot", "name: customer-hubspot-copy", StringComparison.Ordinal);

        harness.Mappings.Write("flows/customer-hubspot-copy.yaml", copy);
        await WaitForAsync(() => harness.Catalog.Current!.Flows.Count == shipped + 1 ? harness.Catalog.Current : null);
        File.Delete(harness.Mappings.PathOf("flows/customer-hubspot-copy.yaml"));

        var after = await WaitForAsync(() => harness.Catalog.Current!.Flows.Count == shipped ? harness.Catalog.Current : null);
        Assert.DoesNotContain(after.Flows, f => f.Name == "customer-hubspot-copy");
    }

    private static JsonObject Account(MappingSet set)
    {
        var payload = JsonNode.Parse(RouterHarness.Sample("canonical-customer-upserted.json"));
        var outcome = new MappingEngine(TimeProvider.System).Map(set, new SourceEvent("1", "fsm", "canonical", DateTimeOffset.UnixEpoch, null, payload));
        return outcome.Operations.Single(o => o.Flow == "customer-salesforce").ToJson();
    }

    private static async Task<MappingWatcher> StartWatcherAsync(MappingCatalog catalog)
    {
        var options = Options.Create(new MappingOptions { ReloadDebounce = TimeSpan.FromMilliseconds(100), ReloadCheckInterval = TimeSpan.FromSeconds(2) });
        var watcher = new MappingWatcher(catalog, options, TimeProvider.System);
        await watcher.StartAsync(CancellationToken.None);
        return watcher;
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> probe) where T : class
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (DateTimeOffset.UtcNow < deadline)
        {
            if (probe() is { } value)
                return value;
            await Task.Delay(50);
        }
        throw new TimeoutException($"the mappings did not change within {Patience.TotalSeconds} s");
    }
}
