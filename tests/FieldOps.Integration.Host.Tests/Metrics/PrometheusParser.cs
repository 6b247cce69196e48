using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace FieldOps.Integration.Host.Tests.Metrics;

/// <summary>
/// A strict reader of the Prometheus text format (0.0.4): every line a HELP, a TYPE or a sample; a family's TYPE before
/// its samples and its samples together; valid names; label values with only <c>\\ \" \n</c> escapes; counters named
/// <c>_total</c>; histograms with cumulative <c>_bucket{le}</c> ending in <c>+Inf</c> equal to <c>_count</c>, and <c>_sum</c>.
/// Throws <see cref="FormatException"/> naming the line on the first fault.
/// </summary>
public static partial class PrometheusParser
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public static IReadOnlyList<Sample> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > 0 && !text.EndsWith('\n'))
            throw new FormatException("the exposition must end with a newline");
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var helps = new HashSet<string>(StringComparer.Ordinal);
        var closed = new HashSet<string>(StringComparer.Ordinal);
        var samples = new List<Sample>();
        string? current = null;
        var lines = text.Split('\n');
        for (var n = 0; n < lines.Length - 1; n++)
        {
            var line = lines[n];
            string Where() => $"line {n + 1}: '{line}'";
            if (line.StartsWith("# HELP ", StringComparison.Ordinal) || line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line[7..].Split(' ', 2);
                var name = parts[0];
                if (!MetricName().IsMatch(name))
                    throw new FormatException($"bad metric name, {Where()}");
                if (line[2] == 'H' && !helps.Add(name))
                    throw new FormatException($"second HELP, {Where()}");
                if (line[2] == 'T')
                {
                    if (parts.Length < 2 || parts[1] is not ("counter" or "gauge" or "histogram" or "summary" or "untyped"))
                        throw new FormatException($"bad type, {Where()}");
                    if (!types.TryAdd(name, parts[1]) || closed.Contains(name))
                        throw new FormatException($"second TYPE, {Where()}");
                    if (parts[1] == "counter" && !name.EndsWith("_total", StringComparison.Ordinal))
                        throw new FormatException($"counter not named _total, {Where()}");
                }
                if (current != name && current is not null)
                    closed.Add(current);
                current = name;
                continue;
            }
            if (line.StartsWith('#') || line.Length == 0)
                throw new FormatException($"unexpected line, {Where()}");
            var sample = ParseSample(line, Where);
            var family = FamilyOf(sample.Name, types);
            if (family is null || family != current)
                throw new FormatException($"sample outside its family's block (TYPE first, samples together), {Where()}");
            samples.Add(sample);
        }
        CheckHistograms(samples, types);
        return samples;
    }

    private static string? FamilyOf(string name, Dictionary<string, string> types)
    {
        if (types.ContainsKey(name))
            return name;
        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && types.TryGetValue(name[..^suffix.Length], out var type) && type == "histogram")
                return name[..^suffix.Length];
        }
        return null;
    }

    private static Sample ParseSample(string line, Func<string> where)
    {
        var match = SampleLine().Match(line);
        if (!match.Success)
            throw new FormatException($"bad sample, {where()}");
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var body = match.Groups["labels"].Value;
        var i = 0;
        while (i < body.Length)
        {
            var eq = body.IndexOf('=', i);
            var label = eq < 0 ? "" : body[i..eq];
            if (!LabelName().IsMatch(label) || eq + 1 >= body.Length || body[eq + 1] != '"')
                throw new FormatException($"bad label, {where()}");
            var value = new StringBuilder();
            var j = eq + 2;
            for (; j < body.Length && body[j] != '"'; j++)
            {
                if (body[j] != '\\')
                {
                    value.Append(body[j]);
                    continue;
                }
                j++;
                value.Append(j < body.Length ? body[j] switch { '\\' => '\\', '"' => '"', 'n' => '\n', _ => throw new FormatException($"bad escape, {where()}") } : throw new FormatException($"bad escape, {where()}"));
            }
            if (j >= body.Length || !labels.TryAdd(label, value.ToString()))
                throw new FormatException($"unterminated or repeated label, {where()}");
            i = j + 1;
            if (i < body.Length)
            {
                if (body[i] != ',')
                    throw new FormatException($"labels not separated by ',', {where()}");
                i++;
            }
        }
        var text = match.Groups["value"].Value;
        var number = text switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : throw new FormatException($"bad value, {where()}"),
        };
        return new Sample(match.Groups["name"].Value, labels, number);
    }

    private static void CheckHistograms(List<Sample> samples, Dictionary<string, string> types)
    {
        foreach (var (family, _) in types.Where(t => t.Value == "histogram"))
        {
            foreach (var series in samples.Where(s => s.Name == family + "_count"))
            {
                bool Same(Sample s) => s.Labels.Where(l => l.Key != "le").OrderBy(l => l.Key).SequenceEqual(series.Labels.OrderBy(l => l.Key));
                var buckets = samples.Where(s => s.Name == family + "_bucket" && Same(s)).ToList();
                if (buckets.Count == 0 || buckets[^1].Labels["le"] != "+Inf" || buckets[^1].Value != series.Value)
                    throw new FormatException($"{family}: the +Inf bucket must close the buckets and equal _count");
                if (buckets.Zip(buckets.Skip(1)).Any(p => p.Second.Value < p.First.Value))
                    throw new FormatException($"{family}: buckets are not cumulative");
                if (!samples.Any(s => s.Name == family + "_sum" && Same(s)))
                    throw new FormatException($"{family}: _sum missing");
            }
        }
    }

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();

    [GeneratedRegex("^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?<labels>.*)\\})? (?<value>\\S+)$")]
    private static partial Regex SampleLine();
}
