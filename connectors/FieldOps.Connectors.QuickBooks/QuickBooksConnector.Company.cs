using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Connectors;

namespace FieldOps.Connectors.QuickBooks;

public sealed partial class QuickBooksConnector
{
    /// <summary>A mismatch found in a setup older than this is read again before the invoice is refused (the admin may have just fixed it).</summary>
    private static readonly TimeSpan RecheckAfter = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Before an invoice is created (or any item for it): the company's tax setup and currency in QuickBooks must be the
    /// ones configured here, else nothing is written and the invoice is dead-lettered as <c>Configuration</c> naming both
    /// values. A job in another currency than the company's goes out in that currency when the company has multi-currency.
    /// </summary>
    private async Task<DeliveryOutcome?> CheckCompanyAsync(QuickBooksPayload payload, CancellationToken cancellationToken)
    {
        var settings = _options.Value;
        var (setup, failure) = await _setup.GetAsync(settings.CompanySetupLifetime, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
            return failure;
        var currency = payload.Param("currency");
        var mismatches = QuickBooksCompanySetupCheck.Mismatches(setup!, settings.Tax.Mode, currency, "The job's currency");
        if (mismatches.Count > 0)
        {
            (setup, failure) = await _setup.GetAsync(RecheckAfter, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
                return failure;
            mismatches = QuickBooksCompanySetupCheck.Mismatches(setup!, settings.Tax.Mode, currency, "The job's currency");
        }
        if (mismatches.Count > 0)
        {
            return DeliveryOutcome.Configuration(
                $"{string.Join("; ", mismatches)}. Nothing was created in QuickBooks: make the configuration (or the company) match, then replay.");
        }
        if (currency is not null && setup!.MultiCurrencyEnabled && setup.HomeCurrency is { } home
            && !string.Equals(currency, home, StringComparison.OrdinalIgnoreCase) && payload.Fields["CurrencyRef"] is null)
            payload.Fields["CurrencyRef"] = new JsonObject { ["value"] = currency.ToUpperInvariant() };
        return null;
    }
}
