using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Testing;
using FieldOps.Integration.Testing.Credentials;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using static FieldOps.Integration.Testing.VendorAnswers;

namespace FieldOps.Connectors.Salesforce.Tests;

/// <summary>
/// The connector wired as the host wires it, against two WireMock servers: the login host (token endpoint) and the
/// org's instance (the REST API), which the token response names as <c>instance_url</c>.
/// </summary>
internal sealed class SalesforceHarness : IDisposable
{
    public const string Token = "00DDn000001aBcD!AQ8AQExampleTokenValue";
    public const string ApiVersion = "v62.0";

    /// <param name="instance">The org's REST API stand-in.</param>
    /// <param name="settings">Configuration over the defaults below.</param>
    /// <param name="realCredentials">True: the host's credentials store (encrypted tokens in a migrated SQLite file)
    /// instead of the small in-memory provider.</param>
    public SalesforceHarness(WireMockServer instance, IDictionary<string, string?>? settings = null, bool realCredentials = false)
    {
        Instance = instance;
        Login = WireMockServer.Start();
        var values = new Dictionary<string, string?>
        {
            ["Connectors:Salesforce:LoginUrl"] = Login.Url,
            ["Connectors:Salesforce:ClientId"] = "3MVG9ExampleConsumerKey",
            ["Connectors:Salesforce:ClientSecret"] = "ExampleConsumerSecret",
            ["Connectors:Salesforce:ApiVersion"] = ApiVersion,
            ["Connectors:Salesforce:Timeout"] = "00:00:30", // generous: a first call on a loaded CI machine can take seconds; timeout tests set their own
        };
        if (realCredentials)
        {
            foreach (var (key, value) in _credentials.Settings)
                values[key] = value;
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        if (realCredentials)
            StoredCredentials.AddTo(services);
        else
            services.AddSingleton<IAccessTokenProvider, TestTokenProvider>();
        services.AddSalesforceConnector(configuration);
        Services = services.BuildServiceProvider();
        if (realCredentials)
            StoredCredentials.Migrate(Services);
        ArrangeToken();
    }

    private readonly StoredCredentials _credentials = new();

    public WireMockServer Instance { get; }

    public WireMockServer Login { get; }

    public ServiceProvider Services { get; }

    public SalesforceConnector Connector => Services.GetRequiredService<SalesforceConnector>();

    public SalesforceOptions Options => Services.GetRequiredService<IOptions<SalesforceOptions>>().Value;

    /// <summary>The token endpoint answers like the fixture, naming <see cref="Instance"/> as the instance.</summary>
    public void ArrangeToken(string accessToken = Token)
    {
        var body = Fixture.Load("oauth-client-credentials-token.json").ResponseBody!
            .Replace("https://acme-fieldservice.my.salesforce.com", Instance.Url!.TrimEnd('/'), StringComparison.Ordinal)
            .Replace(Token, accessToken, StringComparison.Ordinal);
        Login.Given(Request.Create().WithPath("/services/oauth2/token").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body));
    }

    /// <summary>The REST path of a resource under the pinned version.</summary>
    public static string Path(string resource) => $"/services/data/{ApiVersion}/{resource}";

    /// <summary>Answers <paramref name="method"/> <paramref name="resource"/> with the fixture's response.</summary>
    public void Answer(string method, string resource, string fixture) =>
        Instance.Given(Request.Create().WithPath(Path(resource)).UsingMethod(method)).RespondWith(FromFixture(fixture));

    /// <summary>Answers with a status and a body written from the fact sheet (no fixture file for it).</summary>
    public void Answer(string method, string resource, int status, string? body) =>
        Instance.Given(Request.Create().WithPath(Path(resource)).UsingMethod(method))
            .RespondWith(body is null
                ? Response.Create().WithStatusCode(status)
                : Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body));

    public void Dispose()
    {
        Services.Dispose();
        Login.Stop();
        _credentials.Dispose();
    }
}
