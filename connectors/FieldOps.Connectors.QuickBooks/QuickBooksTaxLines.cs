using System.Globalization;
using System.Text.Json.Nodes;

namespace FieldOps.Connectors.QuickBooks;

/// <summary>
/// The job's own tax as a non-US invoice's <c>TxnTaxDetail.TaxLine[]</c> (quickbooks-tax.md §3: sending the tax lines
/// is how non-US tax is given rather than computed). One line per sales rate of the invoice's tax codes, each rate once,
/// with <c>NetAmountTaxable</c> = the lines at that rate; the job's tax is shared over the rates in proportion to what
/// each rate gives (rate × net), rounded half up to the cent, the last cent going to the largest share so the lines add
/// up to the job's tax exactly. Rates of 0 % carry no tax and get no line.
/// </summary>
internal static class QuickBooksTaxLines
{
    /// <summary>The tax lines, or the reason there can be none.</summary>
    public static (JsonArray? Lines, string? Problem) Build(
        IReadOnlyList<(string Code, decimal Amount)> lines, IReadOnlyDictionary<string, IReadOnlyList<string>> codes,
        IReadOnlyDictionary<string, decimal> percents, decimal jobTax)
    {
        var order = new List<string>();
        var net = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (code, amount) in lines)
        {
            foreach (var rate in codes.TryGetValue(code, out var rates) ? rates.Distinct(StringComparer.Ordinal) : [])
            {
                if (percents.GetValueOrDefault(rate) == 0)
                    continue;
                if (!net.ContainsKey(rate))
                {
                    order.Add(rate);
                    net[rate] = 0;
                }
                net[rate] += amount;
            }
        }
        var computed = order.ToDictionary(r => r, r => net[r] * percents[r] / 100m, StringComparer.Ordinal);
        var whole = computed.Values.Sum();
        if (whole <= 0)
        {
            return jobTax == 0
                ? (null, null)
                : (null, string.Create(CultureInfo.InvariantCulture,
                    $"the job carries {jobTax:0.00} of tax but no line has a QuickBooks tax code with a rate above 0 % " +
                    $"(TaxCode {string.Join(", ", lines.Select(l => l.Code).Distinct(StringComparer.Ordinal))})"));
        }

        var shares = order.ToDictionary(r => r, r => Math.Round(jobTax * computed[r] / whole, 2, MidpointRounding.AwayFromZero), StringComparer.Ordinal);
        var largest = order.OrderByDescending(r => computed[r]).First();
        shares[largest] += jobTax - shares.Values.Sum();

        var result = new JsonArray();
        foreach (var rate in order)
        {
            result.Add(new JsonObject
            {
                ["Amount"] = shares[rate],
                ["DetailType"] = "TaxLineDetail",
                ["TaxLineDetail"] = new JsonObject
                {
                    ["TaxRateRef"] = new JsonObject { ["value"] = rate },
                    ["PercentBased"] = true,
                    ["TaxPercent"] = percents[rate],
                    ["NetAmountTaxable"] = net[rate],
                },
            });
        }
        return (result, null);
    }
}
