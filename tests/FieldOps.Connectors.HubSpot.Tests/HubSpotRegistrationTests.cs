using System.Diagnostics.Metrics;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Credentials;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WireMock.Server;

namespace FieldOps.Connectors.HubSpot.Tests;

/// <summary>Registration, options validation, the rate-limit gauges and the connection check.</summary>
public sealed class HubSpotRegistrationTests : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();

    public void Dispose() => _server.Stop();

    [Fact]
    public void AddHubSpotConnector_WithoutASection_RegistersOnlyItsKind()
    {
        using var services = Build(new Dictionary<string, string?>());
        Assert.Empty(services.GetServices<IConnector>());
        Assert.Empty(services.GetServices<IConnectionCheck>());
        var kind = Assert.Single(services.GetServices<ConnectorKind>());
        Assert.Equal(("hubspot", "Connectors:HubSpot"), (kind.Name, kind.SectionName));
    }

    [Fact]
    public void AddHubSpotConnector_WhenDisabled_RegistersOnlyItsKindAndSkipsValidation()
    {
        using var services = Build(new Dictionary<string, string?> { ["Connectors:HubSpot:Enabled"] = "false", ["Connectors:HubSpot:AccountTimeZone"] = "Mars/Olympus" });
        Assert.Empty(services.GetServices<IConnector>());
        Assert.Single(services.GetServices<ConnectorKind>());
    }

    [Fact]
    public void AddHubSpotConnector_WithASectionMissingTheTokenOrWithABadZone_FailsAtStartNamingTheKeys()
    {
        using var services = Build(new Dictionary<string, string?> { ["Connectors:HubSpot:AccountTimeZone"] = "Mars/Olympus" });
        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(ex.Failures, f => f.Contains("Connectors__HubSpot__AccessToken", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("Mars/Olympus", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RateLimitGauges_ReportTheLatestHeaders()
    {
        using var harness = new HubSpotHarness(_server);
        harness.Answer("PATCH", "tickets/JOB-2024-0042", "ticket-close.json");
        await harness.Connector.DeliverAsync(Operations.CloseTicket("JOB-2024-0042"), default);
        var seen = new Dictionary<string, long>();
        var factory = harness.Services.GetRequiredService<IMeterFactory>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == HubSpotRateLimits.MeterName && instrument.Meter.Scope == factory)
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => seen[instrument.Name] = value);
        listener.Start();
        listener.RecordObservableInstruments();
        Assert.Equal(187, seen["fieldops_hubspot_ratelimit_remaining"]);
        Assert.Equal(190, seen["fieldops_hubspot_ratelimit_max"]);
        Assert.False(seen.ContainsKey("fieldops_hubspot_daily_remaining"));
    }

    [Fact]
    public async Task ConnectionCheck_WithAPrivateAppToken_ReadsOneContact()
    {
        using var harness = new HubSpotHarness(_server);
        harness.Answer("GET", "contacts", 200, """{"results": [{"id": "5101", "properties": {}}]}""", new Dictionary<string, string> { ["X-HubSpot-RateLimit-Remaining"] = "99" });
        var steps = await harness.Services.GetServices<IConnectionCheck>().Single().CheckAsync(default);
        Assert.Equal(["token", "read"], steps.Select(s => s.What));
        Assert.All(steps, s => Assert.True(s.Ok, s.Detail));
        Assert.Equal("1", Assert.Single(_server.LogEntries).RequestMessage.Query!["limit"].Single());
        Assert.DoesNotContain(HubSpotHarness.PrivateAppToken, string.Join(" ", steps.Select(s => s.Detail)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectionCheck_WhenTheTokenIsRefused_ReportsTheReadFailed()
    {
        using var harness = new HubSpotHarness(_server);
        harness.Answer("GET", "contacts", "auth-invalid-401.json");
        var steps = await harness.Services.GetServices<IConnectionCheck>().Single().CheckAsync(default);
        Assert.False(steps[^1].Ok);
        Assert.Contains("HTTP 401", steps[^1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectionCheck_OAuthWithARevokedRefreshToken_ReportsTheTokenStepFailed()
    {
        using var harness = new HubSpotHarness(_server, oauth: true);
        _server.Reset();
        _server.Given(WireMock.RequestBuilders.Request.Create().WithPath("/oauth/v3/token").UsingPost())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(400).WithBody("""{"error": "invalid_grant", "error_description": "refresh token revoked"}"""));
        var step = Assert.Single(await harness.Services.GetServices<IConnectionCheck>().Single().CheckAsync(default));
        Assert.Equal("token", step.What);
        Assert.False(step.Ok);
        Assert.Contains("invalid_grant", step.Detail, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddSingleton<IAccessTokenProvider, UnusedTokenProvider>();
        services.AddHubSpotConnector(configuration);
        if (settings.Count > 0)
            services.Configure<HubSpotOptions>(o => o.AccessToken = null);
        return services.BuildServiceProvider();
    }

    /// <summary>Stands in only where no token is ever asked for (unconfigured, or failing validation before any call).</summary>
    private sealed class UnusedTokenProvider : IAccessTokenProvider
    {
        public bool Knows(string connection) => false;

        public Task<AccessToken> GetAccessTokenAsync(string connection, CancellationToken cancellationToken) => throw new InvalidOperationException("not used");

        public Task<AccessToken> RefreshAsync(string connection, DateTimeOffset attemptStartedAt, CancellationToken cancellationToken) => throw new InvalidOperationException("not used");
    }
}
