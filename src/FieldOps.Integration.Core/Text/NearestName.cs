namespace FieldOps.Integration.Core.Text;

/// <summary>"Did you mean …": the known name closest to a mistyped one, by edit distance.</summary>
public static class NearestName
{
    /// <summary>
    /// The candidate nearest to <paramref name="typed"/> (case-insensitive), or null when none is close enough to be a
    /// plausible typo: at most a third of the typed length in edits (at least 1, at most 3), or a prefix match.
    /// </summary>
    public static string? Find(string typed, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(typed);
        ArgumentNullException.ThrowIfNull(candidates);
        var limit = Math.Clamp(typed.Length / 3, 1, 3);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Distance(typed.ToUpperInvariant(), candidate.ToUpperInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        if (best is null)
            return null;
        var prefix = typed.Length >= 3 && best.StartsWith(typed, StringComparison.OrdinalIgnoreCase);
        return bestDistance <= limit || prefix ? best : null;
    }

    /// <summary>
    /// Up to <paramref name="count"/> candidates nearest to <paramref name="typed"/>, closest first, each within the
    /// same distance limit as <see cref="Find"/> (or sharing its prefix).
    /// </summary>
    public static IReadOnlyList<string> Closest(string typed, IEnumerable<string> candidates, int count)
    {
        ArgumentNullException.ThrowIfNull(typed);
        ArgumentNullException.ThrowIfNull(candidates);
        var limit = Math.Clamp(typed.Length / 3, 1, 3);
        return candidates.Distinct(StringComparer.Ordinal)
            .Select(c => (Name: c, Distance: Distance(typed.ToUpperInvariant(), c.ToUpperInvariant())))
            .Where(c => c.Distance <= limit || (typed.Length >= 3 && c.Name.StartsWith(typed, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Take(count).Select(c => c.Name).ToList();
    }

    /// <summary>" (did you mean 'x'?)" or nothing: the tail of an error message.</summary>
    public static string Hint(string typed, IEnumerable<string> candidates) =>
        Find(typed, candidates) is { } near ? $" (did you mean '{near}'?)" : "";

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
            d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++)
            d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
