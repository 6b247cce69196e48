using FieldOps.Connectors.QuickBooks;
using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Host.Startup;
using FieldOps.Integration.Storage;
using FieldOps.Integration.Storage.Migrations;
using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Host.Cli;

/// <summary>
/// <c>fieldops connectors connect quickbooks</c>: stores a first (or replacement) QuickBooks grant in the token store,
/// from an authorization code of Intuit's consent redirect (<c>--code … --redirect-uri …</c>) or from a refresh token
/// (<c>--refresh-token …</c>, or typed at the prompt). The grant is checked against Intuit's token call before it is
/// stored, and storing it clears a broken mark. Tokens are never printed.
/// Exit codes: 0 connected, 1 Intuit refused the grant, 2 usage or configuration error.
/// Wired under <c>fieldops connectors connect quickbooks</c>: it receives the arguments after <c>quickbooks</c> (a
/// leading <c>quickbooks</c> is accepted too).
/// </summary>
internal static class QuickBooksConnectCommand
{
    private static readonly TimeSpan LeaseWait = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var (code, redirectUri, refreshToken, usage) = Parse(args is ["quickbooks", .. var rest] ? rest : args);
        if (usage is not null)
        {
            Console.Error.WriteLine(usage);
            Console.Error.WriteLine("usage: fieldops connectors connect quickbooks [--code <code> --redirect-uri <uri> | --refresh-token <token>]");
            return 2;
        }
        if (code is null && refreshToken is null)
        {
            Console.Write("QuickBooks refresh token: ");
            refreshToken = Console.ReadLine()?.Trim();
            if (string.IsNullOrEmpty(refreshToken))
                return 2;
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = Directory.GetCurrentDirectory() });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddFieldOpsStore();
        builder.Services.AddDispatchStores();
        builder.Services.AddFieldOpsCredentials();
        builder.Services.AddQuickBooksConnector(builder.Configuration);
        await using var app = builder.Build();
        QuickBooksTokenEndpoint endpoint;
        QuickBooksOptions options;
        try
        {
            endpoint = app.Services.GetService<QuickBooksTokenEndpoint>()
                ?? throw new InvalidOperationException($"{QuickBooksOptions.SectionName} is not configured (or Enabled is false).");
            options = app.Services.GetRequiredService<IOptions<QuickBooksOptions>>().Value;
        }
        catch (Exception ex) when (ex is InvalidOperationException || ConfigurationErrors.TryDescribe(ex, out _))
        {
            var lines = ConfigurationErrors.TryDescribe(ex, out var described) ? described : [ex.Message];
            foreach (var line in lines)
                Console.Error.WriteLine($"Configuration error: {line}");
            return 2;
        }

        await app.Services.GetRequiredService<MigrationRunner>().MigrateAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            var grant = code is not null
                ? await endpoint.ExchangeCodeAsync(code, redirectUri!, CancellationToken.None).ConfigureAwait(false)
                : await endpoint.RequestTokenAsync(refreshToken, CancellationToken.None).ConfigureAwait(false);
            var expires = await StoreAsync(app.Services, grant, refreshToken).ConfigureAwait(false);
            Console.WriteLine($"QuickBooks connected: company {options.RealmId}, access token valid until {expires:O}; the refresh token is stored encrypted.");
            return 0;
        }
        catch (ConnectionBrokenException ex)
        {
            Console.Error.WriteLine($"Intuit refused the grant: {ex.Reason}");
            return 1;
        }
    }

    /// <summary>Writes the grant the way a refresh does: under the connection's refresh lease, access and refresh token together.</summary>
    private static async Task<DateTimeOffset?> StoreAsync(IServiceProvider services, TokenGrant grant, string? usedRefreshToken)
    {
        var store = services.GetRequiredService<ITokenStore>();
        var protector = services.GetRequiredService<TokenProtector>();
        var time = services.GetRequiredService<TimeProvider>();
        var owner = LeaseOwner.New("connect");
        var deadline = time.GetUtcNow() + LeaseWait;
        while (!await store.TryAcquireRefreshLeaseAsync(QuickBooksOptions.ConnectionName, owner, time.GetUtcNow(), LeaseWait, CancellationToken.None)
                   .ConfigureAwait(false))
        {
            if (time.GetUtcNow() > deadline)
                throw new InvalidOperationException("A running worker held the QuickBooks refresh lease for too long; try again.");
            await Task.Delay(TimeSpan.FromMilliseconds(200), time).ConfigureAwait(false);
        }
        var now = time.GetUtcNow();
        var expires = grant.ExpiresIn is { } life ? now + life : (DateTimeOffset?)null;
        var credential = new StoredCredential(QuickBooksOptions.ConnectionName, protector.Protect(grant.AccessToken),
            protector.Protect(grant.RefreshToken ?? usedRefreshToken), protector.ProtectProperties(grant.Properties), now, expires, null);
        if (!await store.SaveRefreshedAsync(credential, owner, now, CancellationToken.None).ConfigureAwait(false))
            throw new InvalidOperationException("The QuickBooks refresh lease expired before the grant was stored; try again.");
        return expires;
    }

    private static (string? Code, Uri? RedirectUri, string? RefreshToken, string? Usage) Parse(string[] args)
    {
        string? code = null, redirect = null, refresh = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--code": code = value; i++; break;
                case "--redirect-uri": redirect = value; i++; break;
                case "--refresh-token": refresh = value; i++; break;
                default: return (null, null, null, $"fieldops connectors connect quickbooks: unknown argument '{args[i]}'.");
            }
        }
        if (code is not null && refresh is not null)
            return (null, null, null, "Give either --code or --refresh-token, not both.");
        if (code is not null && !Uri.TryCreate(redirect, UriKind.Absolute, out _))
            return (null, null, null, "--code needs --redirect-uri, the redirect URI registered with the Intuit app.");
        return (code, redirect is null ? null : new Uri(redirect), refresh, null);
    }
}
