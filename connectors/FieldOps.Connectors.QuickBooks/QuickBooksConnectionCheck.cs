using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.Routing;
using Microsoft.Extensions.Options;
using Refit;

namespace FieldOps.Connectors.QuickBooks;

/// <summary>
/// <c>fieldops connectors check</c> for QuickBooks: an access token from the store (refreshing if due), then the
/// cheapest read, <c>GET /companyinfo/{realm}</c>, then the company's setup (tax, home currency) against ours.
/// </summary>
internal sealed class QuickBooksConnectionCheck(
    IAccessTokenProvider tokens, QuickBooksClient client, IOptions<QuickBooksOptions> options,
    QuickBooksCompanySetupReader setup, IOptions<CompanyOptions> company)
    : IConnectionCheck
{
    public string Name => QuickBooksConnector.ConnectorName;

    public async Task<IReadOnlyList<ConnectionCheckStep>> CheckAsync(CancellationToken cancellationToken)
    {
        var steps = new List<ConnectionCheckStep>();
        try
        {
            var token = await tokens.GetAccessTokenAsync(QuickBooksOptions.ConnectionName, cancellationToken).ConfigureAwait(false);
            steps.Add(new("token", true, $"access token for {QuickBooksOptions.ConnectionName}, expires {token.ExpiresAt:O}"));
        }
        catch (Exception e) when (e is ConnectionBrokenException or HttpRequestException or InvalidOperationException or TimeoutException or TaskCanceledException)
        {
            steps.Add(new("token", false, e.Message));
            steps.Add(new("read", false, "skipped: no access token"));
            return steps;
        }

        var realm = options.Value.RealmId;
        try
        {
            var reply = await client.ReadAsync("CompanyInfo", realm, cancellationToken).ConfigureAwait(false);
            steps.Add(reply.IsSuccess
                ? new("read", true, $"company '{reply.Entity("CompanyInfo")?.CompanyName}' (realm {realm}) at {options.Value.BaseUrl}")
                : new("read", false, reply.Describe()));
        }
        // Refit wraps the client's own faults (a timeout, a refused connection) in ApiRequestException.
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or ApiRequestException)
        {
            steps.Add(new("read", false, $"{options.Value.BaseUrl} unreachable: {e.Message}"));
            return steps;
        }
        if (steps[^1].Ok)
            steps.Add(await SetupStepAsync(cancellationToken).ConfigureAwait(false));
        return steps;
    }

    private async Task<ConnectionCheckStep> SetupStepAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var (found, problem) = await setup.TryGetAsync(TimeSpan.Zero, settings.Timeout, cancellationToken).ConfigureAwait(false);
        if (found is null)
            return new("setup", false, $"company setup not read: {problem}");
        var mismatches = QuickBooksCompanySetupCheck.Mismatches(found, settings.Tax.Mode, company.Value.Currency, "Company:Currency");
        var what = found.TaxModes.Count == 0
            ? $"currency {company.Value.Currency.ToUpperInvariant()} matches; QuickBooks says too little to check Tax:Mode {settings.Tax.Mode}"
            : $"Tax:Mode {settings.Tax.Mode} and currency {company.Value.Currency.ToUpperInvariant()} match the company";
        return mismatches.Count == 0
            ? new("setup", true, $"{what} ({found.TaxFacts}, home currency {found.HomeCurrency ?? "(none)"})")
            : new("setup", false, string.Join("; ", mismatches));
    }
}
