using System.Globalization;
using System.Text;

namespace FieldOps.Integration.Host.Metrics;

/// <summary>
/// Writes the Prometheus text exposition format (version 0.0.4): one <c># HELP</c> and <c># TYPE</c> per family, its
/// samples together, label values escaped (<c>\\</c>, <c>\"</c>, <c>\n</c>), values in invariant culture.
/// </summary>
internal sealed class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text = new();
    private readonly HashSet<string> _families = new(StringComparer.Ordinal);

    /// <summary>Starts a family; false when one of that name was written already (its samples are then skipped).</summary>
    public bool Family(string name, string type, string? help)
    {
        if (!_families.Add(name))
            return false;
        _text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(help ?? name)).Append('\n');
        _text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        return true;
    }

    /// <summary>One sample line.</summary>
    public void Sample(string name, IEnumerable<KeyValuePair<string, string>> labels, double value)
    {
        _text.Append(name);
        var first = true;
        foreach (var (key, labelValue) in labels)
        {
            _text.Append(first ? '{' : ',').Append(Name(key)).Append("=\"").Append(EscapeLabel(labelValue)).Append('"');
            first = false;
        }
        if (!first)
            _text.Append('}');
        _text.Append(' ').Append(Format(value)).Append('\n');
    }

    public override string ToString() => _text.ToString();

    /// <summary>A valid metric or label name: letters, digits, <c>_</c> (and <c>:</c> for metrics); never starting with a digit.</summary>
    public static string Name(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_').ToArray();
        var text = new string(chars);
        return text.Length == 0 || char.IsAsciiDigit(text[0]) ? "_" + text : text;
    }

    public static string Format(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static string EscapeLabel(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeHelp(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
