using FieldOps.Connectors.Jobber;
using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Testing.Credentials;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace FieldOps.Integration.Host.Tests.EndToEnd;

/// <summary>What the Salesforce ⇄ Jobber end-to-end tests share: the Jobber connector with a fixed token, and the Salesforce connector's settings and token answer.</summary>
internal static class JobberAndSalesforce
{
    /// <summary>The Jobber connector on <paramref name="jobberUrl"/> (a WireMock root), borrowing the source <c>jobber</c>'s connection with a fixed token.</summary>
    public static IServiceCollection AddJobberConnectorWithFixedToken(this IServiceCollection services, string jobberUrl)
    {
        services.AddKeyedSingleton<ITokenEndpoint>("jobber:jobber", new StaticTokenEndpoint());
        return services.AddJobberConnector(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Connectors:Jobber:BaseUrl"] = jobberUrl.TrimEnd('/') + "/api/",
        }).Build());
    }

    /// <summary>The settings of the Jobber connector (on <paramref name="jobberUrl"/>) and the Salesforce connector (on <paramref name="salesforceUrl"/>).</summary>
    public static Dictionary<string, string?> Settings(string jobberUrl, string salesforceUrl) => new()
    {
        ["Connectors:Jobber:BaseUrl"] = jobberUrl + "/api/",
        ["Connectors:Jobber:Source"] = "jobber",
        ["Connectors:Salesforce:LoginUrl"] = salesforceUrl,
        ["Connectors:Salesforce:ClientId"] = "3MVG9ExampleConsumerKey",
        ["Connectors:Salesforce:ClientSecret"] = "ExampleConsumerSecret",
        ["Connectors:Salesforce:ApiVersion"] = "v62.0",
    };

    /// <summary>Salesforce's token endpoint answering with an access token and the org's own URL as instance.</summary>
    public static void ServeSalesforceToken(WireMockServer salesforce) =>
        salesforce.Given(Request.Create().WithPath("/services/oauth2/token").UsingPost()).RespondWith(Response.Create().WithHeader("Content-Type", "application/json")
            .WithBody($$"""{"access_token":"00DToken","instance_url":"{{salesforce.Url}}","token_type":"Bearer","issued_at":"1733299200000"}"""));
}
