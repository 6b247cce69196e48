using FieldOps.Integration.Core.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace FieldOps.Connectors.QuickBooks;

/// <summary>
/// Readiness check <c>quickbooks-company</c>: Degraded while the company's setup in QuickBooks (tax setup, home currency)
/// does not match <c>Connectors:QuickBooks:Tax:Mode</c> and <c>Company:Currency</c>, naming both values — invoices are
/// dead-lettered as <c>Configuration</c> until it does. Uses the connector's cached read (one pair of calls per
/// <see cref="QuickBooksOptions.CompanySetupLifetime"/>); when QuickBooks cannot be asked it says so and stays Healthy,
/// the <c>connections</c> and <c>circuits</c> checks being the ones that report an unreachable or broken connection.
/// </summary>
internal sealed class QuickBooksCompanyHealthCheck(
    QuickBooksCompanySetupReader reader, IOptions<QuickBooksOptions> options, IOptions<CompanyOptions> company) : IHealthCheck
{
    public const string Name = "quickbooks-company";
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var (setup, problem) = await reader.TryGetAsync(settings.CompanySetupLifetime, Budget, cancellationToken).ConfigureAwait(false);
        if (setup is null)
            return HealthCheckResult.Healthy($"company setup not verified yet: {problem}");
        var currency = company.Value.Currency;
        var mismatches = QuickBooksCompanySetupCheck.Mismatches(setup, settings.Tax.Mode, currency, "Company:Currency");
        return mismatches.Count == 0
            ? HealthCheckResult.Healthy($"QuickBooks company {setup.Name} matches Tax:Mode {settings.Tax.Mode} and currency {currency.ToUpperInvariant()}")
            : HealthCheckResult.Degraded($"{string.Join("; ", mismatches)}: invoices are dead-lettered as Configuration until they match");
    }
}
