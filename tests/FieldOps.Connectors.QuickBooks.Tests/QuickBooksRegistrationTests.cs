using FieldOps.Connectors.QuickBooks.Tests.Support;
using FieldOps.Integration.Core.Connectors;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WireMock.RequestBuilders;
using WireMock.Server;
using static FieldOps.Integration.Testing.VendorAnswers;

namespace FieldOps.Connectors.QuickBooks.Tests;

public sealed class QuickBooksRegistrationTests
{
    [Fact]
    public void AddQuickBooksConnector_WithoutSection_RegistersOnlyItsKind()
    {
        var services = new ServiceCollection();
        services.AddQuickBooksConnector(new ConfigurationBuilder().Build());
        Assert.Equal(typeof(ConnectorKind), Assert.Single(services).ServiceType);
    }

    [Fact]
    public void AddQuickBooksConnector_WhenDisabled_RegistersOnlyItsKind()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Connectors:QuickBooks:Enabled"] = "false",
            ["Connectors:QuickBooks:RealmId"] = "1",
        }).Build();
        var services = new ServiceCollection();
        services.AddQuickBooksConnector(configuration);
        Assert.Equal(typeof(ConnectorKind), Assert.Single(services).ServiceType);
    }

    [Fact]
    public void Options_WithoutRealmOrSecret_FailNamingTheKeys()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Connectors:QuickBooks:ClientId"] = "id",
            ["Connectors:QuickBooks:MinorVersion"] = "65",
        }).Build();
        var services = new ServiceCollection();
        services.AddQuickBooksConnector(configuration);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<QuickBooksOptions>>().Value);

        Assert.Contains("Connectors:QuickBooks:RealmId", error.Message, StringComparison.Ordinal);
        Assert.Contains("Connectors__QuickBooks__ClientSecret", error.Message, StringComparison.Ordinal);
        Assert.Contains("found 65", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_TaxCodeTableNamesAnUnmappedCode_FailsNamingTheKeyAndTheCode()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Connectors:QuickBooks:RealmId"] = "1", ["Connectors:QuickBooks:ClientId"] = "id", ["Connectors:QuickBooks:ClientSecret"] = "s",
            ["Connectors:QuickBooks:Tax:ItemCodes:Igniter"] = "GST",
            ["Connectors:QuickBooks:Tax:ItemCodes:Furnace service"] = "TAX",
        }).Build();
        var services = new ServiceCollection();
        services.AddQuickBooksConnector(configuration);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<QuickBooksOptions>>().Value);

        Assert.Equal("Connectors:QuickBooks:Tax:ItemCodes:Igniter is 'GST', which is not a code of Connectors:QuickBooks:Tax:Codes; add Connectors:QuickBooks:Tax:Codes:GST = <TaxCode id>.",
            Assert.Single(error.Failures));
    }

    [Fact]
    public async Task ConnectionCheck_ReadsCompanyInfo_ReportsTheCompany()
    {
        using var server = WireMockServer.Start();
        using var host = new QuickBooksTestHost(server);
        var realm = QuickBooksTestHost.Realm;
        server.Given(Request.Create().WithPath($"/v3/company/{realm}/companyinfo/{realm}").UsingGet())
            .RespondWith(JsonReply(200, """{"CompanyInfo":{"CompanyName":"Harbor Field Services","Id":"1","SyncToken":"3"},"time":"2025-06-03T09:20:01.118-07:00"}"""));
        var check = host.Services.GetServices<IConnectionCheck>().Single(c => c.Name == "quickbooks");

        var steps = await check.CheckAsync(CancellationToken.None);

        Assert.Equal(["token", "read", "setup"], steps.Select(s => s.What));
        Assert.All(steps, s => Assert.True(s.Ok, s.Detail));
        Assert.Contains("Harbor Field Services", steps[1].Detail, StringComparison.Ordinal);
        // This CompanyInfo names no country: the currency is checked, the tax setup cannot be.
        Assert.StartsWith("currency USD matches; QuickBooks says too little to check Tax:Mode UsAutomated", steps[2].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectionCheck_WhenTokenRejected_ReportsTheFault()
    {
        using var server = WireMockServer.Start();
        using var host = new QuickBooksTestHost(server);
        server.Given(Request.Create().UsingGet()).RespondWith(FromFixture("fault-auth-401.json"));
        var check = host.Services.GetServices<IConnectionCheck>().Single(c => c.Name == "quickbooks");

        var steps = await check.CheckAsync(CancellationToken.None);

        Assert.False(steps[1].Ok);
        Assert.Contains("3200", steps[1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectionCheck_WhenQuickBooksAnswersAfterTheTimeout_ReportsItUnreachableInsteadOfThrowing()
    {
        // Refit wraps the client's timeout in ApiRequestException, which is not an HttpRequestException: the check threw it.
        using var server = WireMockServer.Start();
        using var host = new QuickBooksTestHost(server, new Dictionary<string, string?> { ["Connectors:QuickBooks:Timeout"] = "00:00:00.500" });
        server.Given(Request.Create().UsingGet()).RespondWith(JsonReply(200, "{}").WithDelay(TimeSpan.FromSeconds(3)));
        var check = host.Services.GetServices<IConnectionCheck>().Single(c => c.Name == "quickbooks");

        var steps = await check.CheckAsync(CancellationToken.None);

        Assert.Equal("read", steps[1].What);
        Assert.False(steps[1].Ok);
        Assert.Contains("unreachable", steps[1].Detail, StringComparison.Ordinal);
    }
}
