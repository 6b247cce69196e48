using System.Collections.Concurrent;
using FieldOps.Connectors.QuickBooks.Dtos;
using FieldOps.Integration.Core.Connectors;
using Microsoft.Extensions.Options;

namespace FieldOps.Connectors.QuickBooks;

/// <summary>
/// The sales rates behind the company's tax codes, read from QuickBooks by id (<c>select * from TaxCode where Id in
/// (…)</c>, then the same for <c>TaxRate</c>) and kept per realm for <see cref="QuickBooksOptions.CompanySetupLifetime"/>:
/// a non-US invoice's <c>TxnTaxDetail.TaxLine</c> must name rates from its line codes' <c>SalesTaxRateList</c>, each
/// once (quickbooks-tax.md §3).
/// </summary>
internal sealed class QuickBooksTaxRates(QuickBooksClient client, IOptions<QuickBooksOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (DateTimeOffset ReadAt, IReadOnlyList<string> Rates)> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (DateTimeOffset ReadAt, decimal Percent)> _rates = new(StringComparer.Ordinal);

    /// <summary>The rate ids of each code, and each rate's percentage; or why they could not be read.</summary>
    public async Task<(IReadOnlyDictionary<string, IReadOnlyList<string>> Codes, IReadOnlyDictionary<string, decimal> Percents, DeliveryOutcome? Failure)> ForAsync(
        IReadOnlyCollection<string> codeIds, CancellationToken cancellationToken)
    {
        var realm = options.Value.RealmId;
        var codes = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var missingCodes = TakeCached(_codes, realm, codeIds, codes);
        if (missingCodes.Count > 0)
        {
            var reply = await client.QueryAsync($"select * from TaxCode where Id in ({Ids(missingCodes)})", cancellationToken).ConfigureAwait(false);
            if (!reply.IsSuccess)
                return (codes, new Dictionary<string, decimal>(), QuickBooksOutcomes.Classify(reply));
            foreach (var code in reply.QueryResults<QuickBooksTaxCode>("TaxCode"))
            {
                if (code.Id is null)
                    continue;
                var rates = (code.SalesTaxRateList?.TaxRateDetail ?? []).Select(d => d.TaxRateRef?.Value).OfType<string>().ToList();
                _codes[Key(realm, code.Id)] = (time.GetUtcNow(), rates);
                codes[code.Id] = rates;
            }
            if (missingCodes.FirstOrDefault(id => !codes.ContainsKey(id)) is { } unknown)
            {
                return (codes, new Dictionary<string, decimal>(), DeliveryOutcome.Configuration(
                    $"QuickBooks has no TaxCode {unknown} (named in {QuickBooksOptions.SectionName}:Tax:Codes): give the id of one of the company's tax codes."));
            }
        }

        var percents = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var missingRates = TakeCached(_rates, realm, codes.Values.SelectMany(r => r).Distinct(StringComparer.Ordinal), percents);
        if (missingRates.Count > 0)
        {
            var reply = await client.QueryAsync($"select * from TaxRate where Id in ({Ids(missingRates)})", cancellationToken).ConfigureAwait(false);
            if (!reply.IsSuccess)
                return (codes, percents, QuickBooksOutcomes.Classify(reply));
            foreach (var rate in reply.QueryResults<QuickBooksTaxRate>("TaxRate"))
            {
                if (rate.Id is null || rate.RateValue is not { } value)
                    continue;
                _rates[Key(realm, rate.Id)] = (time.GetUtcNow(), value);
                percents[rate.Id] = value;
            }
            if (missingRates.FirstOrDefault(id => !percents.ContainsKey(id)) is { } unknown)
                return (codes, percents, DeliveryOutcome.Permanent($"QuickBooks returned no RateValue for TaxRate {unknown}, a rate of the invoice's tax codes."));
        }
        return (codes, percents, null);
    }

    // Copies the ids still fresh in the cache into found; returns the ids to read from QuickBooks.
    private List<string> TakeCached<T>(ConcurrentDictionary<string, (DateTimeOffset ReadAt, T Value)> cache, string realm, IEnumerable<string> ids, Dictionary<string, T> found)
    {
        var missing = new List<string>();
        foreach (var id in ids)
        {
            if (cache.TryGetValue(Key(realm, id), out var entry) && time.GetUtcNow() - entry.ReadAt < options.Value.CompanySetupLifetime)
                found[id] = entry.Value;
            else
                missing.Add(id);
        }
        return missing;
    }

    private static string Key(string realm, string id) => realm + "|" + id;

    private static string Ids(IEnumerable<string> ids) => string.Join(", ", ids.Select(QuickBooksClient.Quote));
}
