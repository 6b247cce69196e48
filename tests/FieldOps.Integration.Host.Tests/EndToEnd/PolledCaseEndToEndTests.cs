using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using FieldOps.Connectors.Salesforce;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Sources;
using FieldOps.Integration.Core.Storage;
using FieldOps.Integration.Storage.Sources;
using FieldOps.Integration.Testing.EndToEnd;
using FieldOps.Sources.Salesforce;
using FieldOps.Integration.Testing.Vendors;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WireMock.Server;

namespace FieldOps.Integration.Host.Tests.EndToEnd;

/// <summary>
/// One run from the Salesforce org to Jobber and back, nothing injected: the real poll adapter reads Cases by SOQL
/// from a WireMock org (two Cases sharing a SystemModstamp, one page each), the router maps them with the shipped
/// flow service-request-jobber, the dispatcher calls Jobber's GraphQL and writes the request id back to the Case —
/// and the next poll, which sees the Cases our write-back changed, routes nothing again.
/// </summary>
public sealed class PolledCaseEndToEndTests : IAsyncLifetime
{
    private const string IntegrationUser = "005000000000000AAA";
    private const string Person = "005000000000000USR";
    private readonly WireMockServer _jobber = WireMockServer.Start();
    private readonly WireMockServer _salesforce = WireMockServer.Start();
    private FakeSalesforceOrg _org = null!;
    private DeliveryPipeline _pipeline = null!;

    public async Task InitializeAsync()
    {
        _org = new FakeSalesforceOrg(_salesforce);
        // The connector's write-back changes the Case as the org would: as the integration user, a minute later.
        _org.AcceptUpdates(IntegrationUser);
        var settings = JobberAndSalesforce.Settings(_jobber.Url!, _salesforce.Url!);
        foreach (var (key, value) in _org.SourceSettings(pageSize: 1, interval: "01:00:00"))
            settings[$"Sources:sf:{key}"] = value;
        _pipeline = await DeliveryPipeline.StartAsync(settings, (services, configuration) =>
        {
            services.AddSourceStores();
            services.AddSourcesCore();
            services.AddSalesforceSource();
            services.AddSalesforceConnector(configuration);
            services.AddJobberConnectorWithFixedToken(_jobber.Url!);
        });
    }

    private static JsonObject Case(string caseNumber, string subject) => new()
    {
        ["CaseNumber"] = caseNumber,
        ["Subject"] = subject,
        ["Description"] = "Reported by phone.",
        ["Priority"] = "High",
        ["CreatedDate"] = "2026-12-04T08:04:10.000+0000",
        ["LastModifiedById"] = Person,
        ["FS_Jobber_Request_Id__c"] = null,
        ["Contact"] = new JsonObject { ["Email"] = "Dana@Example.com", ["FirstName"] = "Dana", ["LastName"] = "Reyes", ["Phone"] = "+1 303 555 0101" },
        ["Account"] = new JsonObject { ["Name"] = "Reyes Bakery" },
    };

    [Fact]
    public async Task PolledCases_TiedOnSystemModstampAcrossAPage_EachBecomeOneJobberRequest_AndTheWriteBackIsNotRoutedAgain()
    {
        _jobber.Answer("FindClients", """{"data":{"clients":{"nodes":[{"id":"c-42","emails":[{"address":"dana@example.com"}]}]}}}""");
        _jobber.Answer("RequestCreate", """{"data":{"requestCreate":{"request":{"id":"r-77"},"userErrors":[]}}}""");
        _org.Add("5003000000D8cAAAQA", "2026-12-04T08:05:00Z", Case("00001026", "No heat in the shop"));
        _org.Add("5003000000D8cBBBQA", "2026-12-04T08:05:00Z", Case("00001027", "Leaking tap"));

        var first = await PollAsync();

        Assert.Null(first.Error);
        Assert.Equal(2, first.Appended);
        Assert.True(first.Pages >= 2, $"one Case a page ({first.Pages} pages)");
        // The second page resumed after the first Case of the tie, not after its SystemModstamp.
        Assert.Contains(_org.Queries, q => q.Contains("SystemModstamp = 2026-12-04T08:05:00.000Z AND Id > '5003000000D8cAAAQA'", StringComparison.Ordinal));
        var events = await EventsAsync();
        Assert.Equal(2, events.Count);
        foreach (var id in events)
        {
            var routed = await _pipeline.SettledStateAsync(id);
            Assert.True(routed == "routed", $"event {id} is {routed}: {await ReasonAsync(id)}");
            Assert.All(await _pipeline.SettleAsync(id, "jobber", 2), r => Assert.Equal(OutboxStates.Delivered, r.State));
            Assert.Equal(OutboxStates.Delivered, Assert.Single(await _pipeline.SettleAsync(id, "salesforce", 1)).State);
        }
        Assert.Equal(
            ["Leaking tap (Salesforce case 00001027)", "No heat in the shop (Salesforce case 00001026)"],
            RequestTitles().Order(StringComparer.Ordinal));
        Assert.Equal(2, Patches());

        // The write-backs changed both Cases (as the integration user, a minute later): the next poll reads them as new
        // versions, and the router leaves them unmatched — no second Jobber request, no second write-back.
        var second = await PollAsync();

        Assert.Null(second.Error);
        Assert.Equal(2, second.Appended);
        var echoes = (await EventsAsync()).Except(events).ToList();
        Assert.Equal(2, echoes.Count);
        foreach (var id in echoes)
            Assert.Equal("unmatched", await _pipeline.SettledStateAsync(id));
        Assert.Equal(2, _jobber.Posted("RequestCreate"));
        Assert.Equal(2, Patches());

        // And a third poll finds nothing new.
        Assert.Equal(0, (await PollAsync()).Appended);
        Assert.Equal(4, (await EventsAsync()).Count);
    }

    private Task<PollRunResult> PollAsync() => _pipeline.Services.GetRequiredService<PollRunner>().RunAsync("sf", CancellationToken.None);

    private async Task<List<long>> EventsAsync()
    {
        await using var connection = await _pipeline.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync(CancellationToken.None);
        return (await connection.QueryAsync<long>("SELECT id FROM inbox WHERE source = 'sf' ORDER BY id")).ToList();
    }

    private List<string> RequestTitles() =>
        [.. _jobber.LogEntries.Where(e => e.RequestMessage.Body?.Contains("RequestCreate(", StringComparison.Ordinal) == true)
            .Select(e => JsonDocument.Parse(e.RequestMessage.Body!).RootElement.GetProperty("variables").GetProperty("input").GetProperty("title").GetString()!)];

    private int Patches() => _salesforce.LogEntries.Count(e => e.RequestMessage.Method == "PATCH");

    private async Task<string?> ReasonAsync(long inboxEventId)
    {
        await using var connection = await _pipeline.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<string?>("SELECT state_reason FROM inbox WHERE id = @inboxEventId", new { inboxEventId });
    }

    public async Task DisposeAsync()
    {
        await _pipeline.DisposeAsync();
        _jobber.Stop();
        _salesforce.Stop();
    }
}
