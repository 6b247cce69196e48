using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Hydration;
using FieldOps.Integration.Core.Intake;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FieldOps.Sources.HubSpot.Tests;

/// <summary>
/// A ticket whose subject was cut through an emoji, answered by CRM v3 with half a surrogate pair as an escape
/// (<c>\ud83d</c>). Before, the fetch returned a record that could not be written into the event's payload
/// ('Cannot read incomplete UTF-16 JSON text as string'): the event never left awaiting hydration.
/// </summary>
public sealed class HubSpotHydratorSurrogateTests
{
    [Fact]
    public async Task Fetch_TicketHoldsHalfAPair_RecordReadsTheReplacementCharacterAndCanBeWritten()
    {
        const string Ticket = """
            {"id":"512","properties":{"subject":"No heat \ud83d","content":"Boiler \ud83d\ude00 ok","hs_lastmodifieddate":"2026-12-04T08:00:00.000Z"}}
            """;
        await using var services = Services(Ticket);
        var hydrator = (HubSpotHydrator)services.GetRequiredKeyedService<IRecordHydrator>(HubSpotSourceServiceCollectionExtensions.Kind);

        var fetched = await hydrator.FetchAsync(new HydrationRequest("hs", "tickets", "512", "ticket.propertyChange"), CancellationToken.None);

        var written = JsonNode.Parse(fetched.Record!.ToJsonString())!;
        Assert.Equal("No heat \uFFFD", written["ticket"]!["properties"]!["subject"]!.GetValue<string>());
        Assert.Equal("Boiler \U0001F600 ok", written["ticket"]!["properties"]!["content"]!.GetValue<string>());
        Assert.Equal(new DateTimeOffset(2026, 12, 4, 8, 0, 0, TimeSpan.Zero), fetched.Version);
    }

    private static ServiceProvider Services(string ticket)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sources:hs:Kind"] = "hubspot",
            ["Sources:hs:ApiBaseUrl"] = "https://hubspot.test/",
            ["Sources:hs:AccessToken"] = "pat-test",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddHubSpotSource();
        services.AddOptions<SourcesOptions>().BindConfiguration(SourcesOptions.SectionName);
        services.AddHttpClient(HubSpotHydrator.ClientName).ConfigurePrimaryHttpMessageHandler(() => new Answer(ticket));
        return services.BuildServiceProvider();
    }

    // CRM v3 as far as the hydrator asks it: the ticket, with no associated contact.
    private sealed class Answer(string ticket) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(ticket, Encoding.UTF8, "application/json") });
    }
}
