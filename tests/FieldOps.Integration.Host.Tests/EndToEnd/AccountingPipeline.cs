using FieldOps.Connectors.BambooHR;
using FieldOps.Connectors.QuickBooks;
using FieldOps.Integration.Testing.EndToEnd;
using FieldOps.Integration.Testing.Vendors;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FieldOps.Integration.Host.Tests.EndToEnd;

/// <summary>
/// The delivery pipeline with the QuickBooks and BambooHR connectors pointed at two WireMock servers; Jobber payloads
/// arrive on <see cref="Source"/>. <c>extra</c> settings win; <c>moreConnectors</c> adds other targets.
/// </summary>
internal static class AccountingPipeline
{
    public const string Source = "jobber-main";

    public static Task<DeliveryPipeline> StartAsync(string quickBooksUrl, string bambooHrUrl, IDictionary<string, string?>? extra = null,
        Action<IServiceCollection, IConfiguration>? moreConnectors = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Dispatcher:BaseDelay"] = "00:00:00.200",
            ["Dispatcher:MaxDelay"] = "00:00:01",
            ["Dispatcher:PollInterval"] = "00:00:00.100",
            ["Dispatcher:XrefRecheckInterval"] = "00:00:00.200",
            ["Connectors:QuickBooks:BaseUrl"] = quickBooksUrl,
            ["Connectors:QuickBooks:RealmId"] = FakeCompany.Realm,
            ["Connectors:QuickBooks:TokenUrl"] = quickBooksUrl + "/oauth2/v1/tokens/bearer",
            ["Connectors:QuickBooks:ClientId"] = "ABcdEfGhIjKlMnOp",
            ["Connectors:QuickBooks:ClientSecret"] = "s3cr3t",
            ["Connectors:QuickBooks:RefreshToken"] = "AB11757000000exampleRefreshTokenValue",
            ["Connectors:QuickBooks:Timeout"] = "00:00:30", // generous: a first call on a loaded CI machine can take seconds; timeout tests set their own
            ["Connectors:QuickBooks:Items:Furnace service"] = "21",
            ["Company:TimeZone"] = "America/Denver",
            ["Connectors:BambooHR:BaseUrl"] = bambooHrUrl,
            ["Connectors:BambooHR:ApiKey"] = "0123456789abcdef",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
            settings[key] = value;
        return DeliveryPipeline.StartAsync(settings, (services, configuration) =>
        {
            services.AddQuickBooksConnector(configuration);
            services.AddBambooHRConnector(configuration);
            moreConnectors?.Invoke(services, configuration);
        });
    }
}
