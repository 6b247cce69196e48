using System.Diagnostics.Metrics;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WireMock.Server;

namespace FieldOps.Connectors.Salesforce.Tests;

/// <summary>Registration, options validation, the usage gauge and the connection check.</summary>
public sealed class SalesforceRegistrationTests : IDisposable
{
    private readonly WireMockServer _instance = WireMockServer.Start();

    public void Dispose() => _instance.Stop();

    [Fact]
    public void AddSalesforceConnector_WithoutASection_RegistersOnlyItsKind()
    {
        using var services = Build(new Dictionary<string, string?>());
        Assert.Empty(services.GetServices<IConnector>());
        Assert.Empty(services.GetServices<IConnectionCheck>());
        var kind = Assert.Single(services.GetServices<ConnectorKind>());
        Assert.Equal(("salesforce", "Connectors:Salesforce"), (kind.Name, kind.SectionName));
    }

    [Fact]
    public void AddSalesforceConnector_WhenDisabled_RegistersOnlyItsKindAndSkipsValidation()
    {
        // A section missing its credentials would fail validation; disabled, it is not looked at.
        using var services = Build(new Dictionary<string, string?> { ["Connectors:Salesforce:Enabled"] = "false", ["Connectors:Salesforce:ApiVersion"] = "62" });
        Assert.Empty(services.GetServices<IConnector>());
        Assert.Single(services.GetServices<ConnectorKind>());
    }

    [Fact]
    public void AddSalesforceConnector_WithASectionMissingCredentials_FailsAtStartWithTheKeyNames()
    {
        using var services = Build(new Dictionary<string, string?> { ["Connectors:Salesforce:ApiVersion"] = "62" });
        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(ex.Failures, f => f.Contains("Connectors:Salesforce:ClientId", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("Connectors__Salesforce__ClientSecret", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("v68.0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UsageGauge_ReportsTheRemainingAllocation()
    {
        using var harness = new SalesforceHarness(_instance);
        harness.Answer("PATCH", "sobjects/Account/FS_Customer_Id__c/CUST-1001", "upsert-account-created.json");
        await harness.Connector.DeliverAsync(Operations.Upsert("CUST-1001", """{"Name": "x"}"""), default);
        var usage = harness.Services.GetRequiredService<SalesforceApiUsage>();
        long? seen = null;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SalesforceApiUsage.MeterName && instrument.Name == SalesforceApiUsage.RemainingGaugeName)
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Meter.Scope == harness.Services.GetRequiredService<IMeterFactory>())
                seen = value;
        });
        listener.Start();
        listener.RecordObservableInstruments();
        Assert.Equal(14982, seen);
        Assert.Equal(14982, usage.Remaining);
    }

    [Fact]
    public async Task ConnectionCheck_MintsATokenAndReadsLimits()
    {
        using var harness = new SalesforceHarness(_instance);
        harness.Answer("GET", "limits", 200, """{"DailyApiRequests": {"Max": 15000, "Remaining": 14982}}""");
        var check = harness.Services.GetServices<IConnectionCheck>().Single(c => c.Name == "salesforce");
        var steps = await check.CheckAsync(default);
        Assert.Equal(["token", "read"], steps.Select(s => s.What));
        Assert.All(steps, s => Assert.True(s.Ok, s.Detail));
        Assert.Contains("14982 of 15000", steps[1].Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(SalesforceHarness.Token, string.Join(" ", steps.Select(s => s.Detail)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectionCheck_OnInvalidGrant_ReportsTheTokenStepFailed()
    {
        using var harness = new SalesforceHarness(_instance);
        harness.Login.Reset();
        harness.Login.Given(WireMock.RequestBuilders.Request.Create().WithPath("/services/oauth2/token").UsingPost())
            .RespondWith(VendorAnswers.FromFixture("oauth-token-error-invalid-grant.json"));
        var steps = await harness.Services.GetServices<IConnectionCheck>().Single().CheckAsync(default);
        var step = Assert.Single(steps);
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
        services.AddSingleton<IAccessTokenProvider, TestTokenProvider>();
        services.AddSalesforceConnector(configuration);
        return services.BuildServiceProvider();
    }
}
