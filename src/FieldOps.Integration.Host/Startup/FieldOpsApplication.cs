using FieldOps.Connectors.BambooHR;
using FieldOps.Connectors.Http;
using FieldOps.Connectors.HubSpot;
using FieldOps.Connectors.Jobber;
using FieldOps.Connectors.QuickBooks;
using FieldOps.Connectors.Salesforce;
using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.Dispatch;
using FieldOps.Integration.Core.Intake;
using FieldOps.Integration.Core.Operations;
using FieldOps.Integration.Core.Routing;
using FieldOps.Integration.Core.Sources;
using FieldOps.Integration.Host.Admin;
using FieldOps.Integration.Host.Health;
using FieldOps.Integration.Host.Intake;
using FieldOps.Integration.Host.Jobs;
using FieldOps.Integration.Host.Logging;
using FieldOps.Integration.Host.Metrics;
using FieldOps.Integration.Host.Telemetry;
using FieldOps.Integration.Host.Ops;
using FieldOps.Integration.Host.Sources;
using FieldOps.Integration.Storage;
using FieldOps.Integration.Storage.Credentials;
using FieldOps.Integration.Storage.Operations;
using FieldOps.Integration.Storage.Sources;
using FieldOps.Sources.Jobber;
using FieldOps.Sources.Rest;
using FieldOps.Sources.BambooHR;
using FieldOps.Sources.HubSpot;
using FieldOps.Sources.Salesforce;

namespace FieldOps.Integration.Host.Startup;

/// <summary>The composition root: every part of the service registered and mapped in one place.</summary>
internal static class FieldOpsApplication
{
    /// <summary>The address the service listens on unless <c>--urls</c> (or <c>ASPNETCORE_URLS</c>) says otherwise.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>The .NET setting that makes file providers poll (every 4 s) instead of using a file system watcher.</summary>
    public const string PollingFileWatcherVariable = "DOTNET_USE_POLLING_FILE_WATCHER";

    public static WebApplication Build(string[] args)
    {
        PollConfigurationFiles();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        ListenAddress.Apply(builder);
        ThreadPoolSizing.Apply(builder.Configuration);
        // Kestrel's limits (Kestrel:Limits:…) are the admin's to tune; its own error answers get our JSON body.
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(builder.Configuration.GetSection("Kestrel"));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.UseFieldOpsErrorBodies());
        if (Cli.ScrubbingConsole.Active is { } toolScrubber)
        {
            // An admin tool builds the service's parts: one scrubber for its console and the service's logs and tokens.
            toolScrubber.AddConfiguration(builder.Configuration);
            builder.Services.AddSingleton(toolScrubber);
        }
        builder.AddFieldOpsLogging();
        builder.AddFieldOpsTelemetry();

        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddFatalStop();
        services.AddFieldOpsStore();
        services.AddSingleton<StoreSchemaStatus>();
        services.AddHostedService<StoreMigrationService>();
        services.AddWebhookIntake();
        services.AddFieldOpsHealthChecks();
        services.AddMappingRouter().AddHealthChecks().AddCheck<MappingHealthCheck>("mappings", tags: [HealthEndpoints.ReadyTag]);
        services.AddDispatchStores();
        services.AddFieldOpsCredentials().AddKeyRingCertificate(builder.Configuration);
        services.AddHttpConnector(builder.Configuration);
        services.AddSalesforceConnector(builder.Configuration);
        services.AddHubSpotConnector(builder.Configuration);
        services.AddQuickBooksConnector(builder.Configuration);
        services.AddBambooHRConnector(builder.Configuration);
        services.AddJobberConnector(builder.Configuration);
        services.AddOutboxDispatcher();
        services.AddOperationsStore().AddFieldOpsOperations().AddAdminApi().AddPrometheusMetrics();
        services.AddOpsPage(builder.Configuration);
        services.AddSourcesCore().AddSourceStores().AddSourceJobs(builder.Configuration);
        services.AddJobberSource();
        services.AddRestSource();
        services.AddSalesforceSource();
        services.AddHubSpotSource();
        services.AddBambooHRSource();

        var app = builder.Build();
        app.WarnAboutSecretsInFiles();
        app.UseFieldOpsErrorBodies();
        app.UseFieldOpsResponseScrubbing();
        app.MapFieldOpsHealth();
        app.MapWebhookIntake();
        app.MapAdminApi().MapPrometheusMetrics();
        app.MapSourcesAdmin();
        app.MapOpsPage();
        return app;
    }

    /// <summary>
    /// The configuration files are polled for changes unless the admin set <see cref="PollingFileWatcherVariable"/>.
    /// .NET watches a reloadable file through a watcher on its whole folder with every subfolder, and the data folder
    /// (the SQLite database and its WAL) is a subfolder of the content root: every database write woke the watcher, about
    /// 8 % of the process's CPU at 1,000 deliveries/s (issue 15, measured with perf). Polling notices an edited
    /// appsettings.json within about 4 s and costs nothing between.
    /// </summary>
    internal static void PollConfigurationFiles()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(PollingFileWatcherVariable)))
            Environment.SetEnvironmentVariable(PollingFileWatcherVariable, "true");
    }
}
