using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Tests.Mapping;

namespace FieldOps.Integration.Core.Tests.Routing;

/// <summary>The router through the shipped mappings into the real SQLite store.</summary>
public sealed class MappingRouterTests
{
    private const string JobberClientId = "Z2lkOi8vSm9iYmVyL0NsaWVudC8xMjM0NQ==";

    [Fact]
    public async Task RouteBatch_JobClosed_WritesOneRowPerOperationOfAllFourFlows()
    {
        await using var harness = await RouterHarness.StartAsync();
        await harness.CrossReferences.SaveAsync("quickbooks", "Customer", JobberClientId, "58", CancellationToken.None);
        var id = await harness.AppendAsync("jobber-main", RouterHarness.Sample("jobber-job-closed.json"));

        Assert.Equal(1, await harness.Router.RouteBatchAsync(CancellationToken.None));

        Assert.Equal((InboxEventState.Routed, (string?)null), await harness.StateAsync(id));
        var rows = await harness.OutboxAsync(id);
        // bamboohr hours ×2; hubspot contact, ticket, associate, close, notes; quickbooks customer, invoice, send;
        // salesforce account, case, notes (no HubSpot company: the client is a person).
        Assert.Equal(13, rows.Count);
        Assert.Equal(["bamboohr", "hubspot", "quickbooks", "salesforce"], rows.Select(r => r.Connector).Distinct().Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Equal(OutboxRowKey.Compute(id, r.Flow, r.OperationKey, r.MappingRevision), r.Id));
        var invoice = Assert.Single(rows, r => r.Flow == "job-completed-quickbooks" && r.OperationKey == "invoice");
        Assert.Contains("\"CustomerRef\":{\"value\":\"58\"}", invoice.Payload, StringComparison.Ordinal);
        Assert.Contains("\"Amount\":59.97", invoice.Payload, StringComparison.Ordinal);
        var send = Assert.Single(rows, r => r.OperationKey == "send");
        Assert.Contains("\"$xref\":{\"system\":\"quickbooks\",\"type\":\"Invoice\"", send.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RouteBatch_EveryShippedSample_EveryShippedFlowWritesRows()
    {
        await using var harness = await RouterHarness.StartAsync();
        var ids = new List<long>
        {
            await harness.AppendAsync("jobber-main", RouterHarness.Sample("jobber-job-closed.json")),
            await harness.AppendAsync("jobber-main", RouterHarness.Sample("jobber-client-update.json")),
            await harness.AppendAsync("jobber-main", RouterHarness.Sample("jobber-timesheet-update.json")),
            await harness.AppendAsync("fsm", RouterHarness.Sample("canonical-customer-upserted.json")),
            await harness.AppendAsync("sf", RouterHarness.Sample("salesforce-case-new.json")),
            await harness.AppendAsync("hs", RouterHarness.Sample("hubspot-ticket-creation.json")),
            await harness.AppendAsync("hr", RouterHarness.Sample("bamboohr-time-off-approved.json")),
            await harness.AppendAsync("jobber-main", RouterHarness.Sample("jobber-visit-create.json")),
        };

        Assert.Equal(8, await harness.Router.RouteBatchAsync(CancellationToken.None));

        var flows = new HashSet<string>();
        foreach (var id in ids)
        {
            Assert.Equal(InboxEventState.Routed, (await harness.StateAsync(id)).State);
            flows.UnionWith((await harness.OutboxAsync(id)).Select(r => r.Flow));
        }
        Assert.Equal(harness.Catalog.Current!.Flows.Select(f => f.Name).Order(StringComparer.Ordinal), flows.Order(StringComparer.Ordinal));
        // visit-crm-context read the customer's open cases through the salesforce reader, once, for the visit's client.
        var read = Assert.Single(harness.SalesforceReader.Reads);
        Assert.Equal("query", read.Read);
        Assert.Contains("\"customerId\":\"Z2lkOi8vSm9iYmVyL0NsaWVudC8xMjM0NQ==\"", read.Params, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RouteBatch_SameEventWithSameMappings_WritesNothingNew()
    {
        await using var harness = await RouterHarness.StartAsync();
        var id = await harness.AppendAsync("jobber-main", RouterHarness.Sample("jobber-job-closed.json"));
        await harness.Router.RouteBatchAsync(CancellationToken.None);
        var first = await harness.OutboxAsync(id);

        await harness.ResetAsync(id);
        await harness.Router.RouteBatchAsync(CancellationToken.None);

        Assert.Equal(first.Select(r => r.Id), (await harness.OutboxAsync(id)).Select(r => r.Id));
        Assert.Equal(InboxEventState.Routed, (await harness.StateAsync(id)).State);
    }

    [Fact]
    public async Task RouteBatch_AfterMappingChange_WritesRowsWithTheNewRevision()
    {
        await using var harness = await RouterHarness.StartAsync();
        var id = await harness.AppendAsync("jobber-main", RouterHarness.Sample("jobber-job-closed.json"));
        await harness.Router.RouteBatchAsync(CancellationToken.None);
        var before = await harness.OutboxAsync(id);
        var flow = harness.Mappings.Read("flows/job-completed-quickbooks.yaml");
        harness.Mappings.Write("flows/job-completed-quickbooks.yaml", flow.Replace("'FieldOps job '", "'Job '", StringComparison.Ordinal));
        Assert.True(harness.Catalog.Reload());

        await harness.ResetAsync(id);
        await harness.Router.RouteBatchAsync(CancellationToken.None);

        var after = await harness.OutboxAsync(id);
        var added = after.Where(r => !before.Any(b => b.Id == r.Id)).ToList();
        Assert.Equal(3, added.Count);
        Assert.All(added, r => Assert.Equal("job-completed-quickbooks", r.Flow));
        var oldRevision = before.First(r => r.Flow == "job-completed-quickbooks").MappingRevision;
        Assert.All(added, r => Assert.NotEqual(oldRevision, r.MappingRevision));
        Assert.Contains(added, r => r.Payload.Contains("\"PrivateNote\":\"Job 1042\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RouteBatch_ThinJobberEvent_AwaitsHydrationWithTheProfilesText()
    {
        await using var harness = await RouterHarness.StartAsync();
        var id = await harness.AppendAsync("jobber-main", RouterHarness.Sample("jobber-job-closed-thin.json"));

        await harness.Router.RouteBatchAsync(CancellationToken.None);

        var (state, reason) = await harness.StateAsync(id);
        Assert.Equal(InboxEventState.AwaitingHydration, state);
        Assert.StartsWith("awaiting hydration", reason, StringComparison.Ordinal);
        Assert.Empty(await harness.OutboxAsync(id));
    }

    [Fact]
    public async Task RouteBatch_ThinJobberEventOfATypeNoFlowTakes_IsUnmatchedWithoutAwaitingHydration()
    {
        // VISIT_COMPLETE is VisitCompleted, which no shipped flow takes: fetching its record would spend the query budget for nothing.
        await using var harness = await RouterHarness.StartAsync();
        var thin = RouterHarness.Sample("jobber-job-closed-thin.json").Replace("JOB_CLOSED", "VISIT_COMPLETE", StringComparison.Ordinal);
        Assert.Contains("VISIT_COMPLETE", thin, StringComparison.Ordinal);
        var id = await harness.AppendAsync("jobber-main", thin);

        await harness.Router.RouteBatchAsync(CancellationToken.None);

        var (state, reason) = await harness.StateAsync(id);
        Assert.Equal(InboxEventState.Unmatched, state);
        Assert.Contains("no flow takes VisitCompleted", reason, StringComparison.Ordinal);
        Assert.Contains("not hydrated", reason, StringComparison.Ordinal);
        Assert.Empty(await harness.OutboxAsync(id));
    }

    [Fact]
    public async Task RouteBatch_ThinEventOfAKindWithoutHydrator_WaitsVisiblyAsUnmatched()
    {
        await using var harness = await RouterHarness.StartAsync(jobberHydrator: false);
        var id = await harness.AppendAsync("jobber-main", RouterHarness.Sample("jobber-job-closed-thin.json"));

        await harness.Router.RouteBatchAsync(CancellationToken.None);

        var (state, reason) = await harness.StateAsync(id);
        Assert.Equal(InboxEventState.Unmatched, state);
        Assert.StartsWith("awaiting hydration", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RouteBatch_ProfileRequirementReworded_StillAwaitsHydration()
    {
        var mappings = new MappingFolder();
        var text = mappings.Read("profiles/jobber.yaml");
        Assert.Contains("\"awaiting hydration: the Jobber record has not been fetched yet\"", text, StringComparison.Ordinal);
        mappings.Write("profiles/jobber.yaml", text.Replace("awaiting hydration: the Jobber record has not been fetched yet", "Jobber record pending", StringComparison.Ordinal));
        await using var harness = await RouterHarness.StartAsync(mappings);
        var id = await harness.AppendAsync("jobber-main", RouterHarness.Sample("jobber-job-closed-thin.json"));

        await harness.Router.RouteBatchAsync(CancellationToken.None);

        Assert.Equal((InboxEventState.AwaitingHydration, "Jobber record pending"), await harness.StateAsync(id));
    }

    [Fact]
    public async Task RouteBatch_NoFlowTakesTheType_MarksUnmatchedWithTheType()
    {
        await using var harness = await RouterHarness.StartAsync();
        var invoice = """{"type":"InvoiceCreated","entityType":"Invoice","entityId":"I-1","entity":{"id":"I-1","customerId":"C-1","total":{"amount":10.5,"currency":"USD"}}}""";
        var id = await harness.AppendAsync("fsm", invoice);

        await harness.Router.RouteBatchAsync(CancellationToken.None);

        var (state, reason) = await harness.StateAsync(id);
        Assert.Equal(InboxEventState.Unmatched, state);
        Assert.Contains("no flow takes InvoiceCreated", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RouteBatch_OneFlowFails_ParksWithFileLineColumnAndTheOtherFlowsStillRoute()
    {
        var mappings = new MappingFolder();
        var flow = mappings.Read("flows/customer-salesforce.yaml");
        mappings.Write("flows/customer-salesforce.yaml", flow.Replace("Name: entity.displayName", "Name: \"entity.displayName * 2\"", StringComparison.Ordinal));
        await using var harness = await RouterHarness.StartAsync(mappings);
        var bad = await harness.AppendAsync("fsm", RouterHarness.Sample("canonical-customer-upserted.json"));
        var good = await harness.AppendAsync("jobber-main", RouterHarness.Sample("jobber-timesheet-update.json"));

        Assert.Equal(2, await harness.Router.RouteBatchAsync(CancellationToken.None));

        var (state, reason) = await harness.StateAsync(bad);
        Assert.Equal(InboxEventState.Parked, state);
        Assert.Contains("flows/customer-salesforce.yaml:16:33: operations[0].fields.Name: JSONata T2001", reason, StringComparison.Ordinal);
        // Issue 18: the failing flow parks the event, but HubSpot and QuickBooks still get their customer.
        Assert.StartsWith("1 flow(s) failed, the others routed (2 operations): customer-salesforce: ", reason, StringComparison.Ordinal);
        Assert.Equal(["customer-hubspot", "customer-quickbooks"], (await harness.OutboxAsync(bad)).Select(r => r.Flow).Order(StringComparer.Ordinal));
        Assert.Equal(InboxEventState.Routed, (await harness.StateAsync(good)).State);
        Assert.Single(await harness.OutboxAsync(good));
    }

    [Fact]
    public async Task RouteBatch_UnknownSource_ParksWithTheReason()
    {
        await using var harness = await RouterHarness.StartAsync();
        var id = await harness.AppendAsync("nobody", "{}");

        await harness.Router.RouteBatchAsync(CancellationToken.None);

        var (state, reason) = await harness.StateAsync(id);
        Assert.Equal(InboxEventState.Parked, state);
        Assert.Contains("source 'nobody' is not configured", reason, StringComparison.Ordinal);
    }
}
