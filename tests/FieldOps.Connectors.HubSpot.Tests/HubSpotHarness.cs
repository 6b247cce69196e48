using FieldOps.Integration.Testing.Credentials;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using static FieldOps.Integration.Testing.VendorAnswers;

namespace FieldOps.Connectors.HubSpot.Tests;

/// <summary>
/// The connector wired as the host wires it — with the host's credentials store (encrypted tokens in a migrated
/// SQLite file) — against a WireMock server that is both the API host and the OAuth token endpoint.
/// </summary>
internal sealed class HubSpotHarness : IDisposable
{
    public const string PrivateAppToken = "pat-na1-00000000-0000-0000-0000-000000000000";
    public const string OAuthToken = "CJSP5qf1KhICAQEYs-gDIIGOBii1hQIyGQAf3xBKmlwHjX7OIpuIFEavB2-qYAGQsF4";
    public const string ObjectsPath = "/crm/v3/objects";
    private readonly StoredCredentials _credentials = new();

    public HubSpotHarness(WireMockServer server, IDictionary<string, string?>? settings = null, bool oauth = false, FakeTimeProvider? time = null)
    {
        Server = server;
        var values = new Dictionary<string, string?>(_credentials.Settings)
        {
            ["Connectors:HubSpot:BaseUrl"] = server.Url,
            ["Connectors:HubSpot:TokenUrl"] = server.Url + "/oauth/v3/token",
            ["Connectors:HubSpot:Timeout"] = "00:00:30", // generous: a loaded CI machine; tests of the timeout set their own
        };
        if (oauth)
        {
            values["Connectors:HubSpot:AuthMode"] = "OAuth";
            values["Connectors:HubSpot:ClientId"] = "a1b2c3d4-0000-4000-8000-000000000001";
            values["Connectors:HubSpot:ClientSecret"] = "example-client-secret";
            values["Connectors:HubSpot:RefreshToken"] = "na1-1111-2222-3333-4444-555566667777";
        }
        else
        {
            values["Connectors:HubSpot:AccessToken"] = PrivateAppToken;
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            values[key] = value;
        var services = new ServiceCollection();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        if (time is not null)
            services.AddSingleton<TimeProvider>(time);
        StoredCredentials.AddTo(services);
        services.AddHubSpotConnector(configuration);
        Services = services.BuildServiceProvider();
        StoredCredentials.Migrate(Services);
        if (oauth)
            ArrangeToken();
    }

    public WireMockServer Server { get; }

    public ServiceProvider Services { get; }

    public HubSpotConnector Connector => Services.GetRequiredService<HubSpotConnector>();

    /// <summary>The token endpoint answers like the fixture.</summary>
    public void ArrangeToken() =>
        Server.Given(Request.Create().WithPath("/oauth/v3/token").UsingPost()).RespondWith(FromFixture("oauth-v3-token-refresh.json"));

    /// <summary>Answers <paramref name="method"/> on an objects path (e.g. <c>contacts/batch/upsert</c>) with the fixture's response.</summary>
    public void Answer(string method, string resource, string fixture) =>
        Server.Given(Request.Create().WithPath($"{ObjectsPath}/{resource}").UsingMethod(method)).RespondWith(FromFixture(fixture));

    /// <summary>Answers with a status and a body written from the fact sheet (no fixture file for it).</summary>
    public void Answer(string method, string resource, int status, string body, IDictionary<string, string>? headers = null)
    {
        var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            response = response.WithHeader(name, value);
        Server.Given(Request.Create().WithPath($"{ObjectsPath}/{resource}").UsingMethod(method)).RespondWith(response);
    }

    public void Dispose()
    {
        Services.Dispose();
        _credentials.Dispose();
    }
}
