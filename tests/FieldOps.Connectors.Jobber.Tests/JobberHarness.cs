using System.Text.Json;
using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Storage;
using FieldOps.Integration.Storage.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WireMock.Server;

namespace FieldOps.Connectors.Jobber.Tests;

/// <summary>
/// The connector as <c>AddJobberConnector</c> wires it, pointed at a WireMock server answering like Jobber's GraphQL API,
/// with the cross-reference store on a migrated SQLite file in a temp folder.
/// </summary>
internal static class JobberHarness
{
    public const string Token = "jobber-test-access-token";

    public static JobberConnector Create(WireMockServer server, TimeProvider? time = null, string timeout = "00:00:30")
    {
        var directory = Path.Combine(Path.GetTempPath(), "fieldops-jobber-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Store:ConnectionString"] = $"Data Source={Path.Combine(directory, "fieldops.db")}",
            ["Connectors:Jobber:BaseUrl"] = server.Url + "/api/",
            ["Connectors:Jobber:ApiVersion"] = "2025-04-16",
            ["Connectors:Jobber:Timeout"] = timeout,
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddFieldOpsStore().AddDispatchStores();
        if (time is not null)
            services.AddSingleton(time);
        services.AddSingleton<IAccessTokenProvider, FixedTokens>();
        services.AddJobberConnector(configuration);
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<MigrationRunner>().MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
        return provider.GetRequiredService<JobberConnector>();
    }

    public static OutboundOperation Operation(string operation, string objectType, object payload, int attempt = 1, string id = "op-1") => new()
    {
        Id = id,
        Connector = "jobber",
        Operation = operation,
        ObjectType = objectType,
        IdempotencyKey = "key-1",
        PartitionKey = "jobber:test",
        Payload = OperationPayload.From(JsonSerializer.SerializeToNode(payload)),
        Attempt = attempt,
    };

    private sealed class FixedTokens : IAccessTokenProvider
    {
        public bool Knows(string connection) => true;

        public Task<AccessToken> GetAccessTokenAsync(string connection, CancellationToken cancellationToken) =>
            Task.FromResult(new AccessToken(Token, DateTimeOffset.UnixEpoch, null, new Dictionary<string, string>()));

        public Task<AccessToken> RefreshAsync(string connection, DateTimeOffset attemptStartedAt, CancellationToken cancellationToken) =>
            GetAccessTokenAsync(connection, cancellationToken);
    }
}
