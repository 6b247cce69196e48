using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Intake;
using FieldOps.Integration.Host.Tests.Infrastructure;
using FieldOps.Sources.BambooHR;
using FieldOps.Sources.HubSpot;
using FieldOps.Sources.Jobber;
using FieldOps.Sources.Salesforce;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Host.Tests.Sources;

/// <summary>
/// The source kinds of the CRM and HR sources are valid configuration (they used to stop the start): <c>salesforce</c>
/// and <c>bamboohr</c> are polled and need no signing secret, <c>hubspot</c> needs its app secret.
/// </summary>
public sealed class PolledSourceKindTests
{
    [Fact]
    public async Task Start_WithSalesforceHubSpotAndBambooHRSources_IsReadyAndPolledSourcesRefuseWebhooks()
    {
        using var factory = new FieldOpsFactory(new Dictionary<string, string?>
        {
            ["Sources:sf:Kind"] = "salesforce",
            ["Sources:hr:Kind"] = "BambooHR",
            ["Sources:hs:Kind"] = "hubspot",
            ["Sources:hs:Secret"] = "hubspot-app-client-secret",
            ["Mappings:Path"] = RepositoryPaths.Mappings,
        });
        using var client = factory.CreateClient();

        using var ready = await client.GetAsync("/health/live");
        using var webhook = await client.PostAsync("/webhooks/sf", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, webhook.StatusCode);
        Assert.Contains("is polled", JsonNode.Parse(await webhook.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_HubSpotWithoutSecretAndAnUnknownKind_NamesTheKeysAndTheValidKinds()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sources:sf:Kind"] = "salesforce",
            ["Sources:hr:Kind"] = "bamboohr",
            ["Sources:hs:Kind"] = "hubspot",
            ["Sources:x:Kind"] = "zapier",
            ["Sources:x:Secret"] = "zapier-secret",
            ["Sources:x:Signature:Header"] = "X-Sig",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddWebhookIntake();
        services.AddJobberSource().AddHubSpotSource().AddSalesforceSource().AddBambooHRSource();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SourcesOptions>>().Value);

        Assert.Equal(
        [
            "Sources:hs:Secret: is required (set the environment variable Sources__hs__Secret).",
            "Sources:x:Kind: 'zapier' is not one of bamboohr, canonical, hmac, hubspot, jobber, salesforce.",
        ], error.Failures);
    }
}
