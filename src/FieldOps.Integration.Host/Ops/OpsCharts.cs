using System.Globalization;
using System.Text;
using FieldOps.Integration.Core.Operations;
using static FieldOps.Integration.Host.Ops.OpsHtml;

namespace FieldOps.Integration.Host.Ops;

/// <summary>The last hour's attempts per connector as small SVG bar charts, drawn on the server (delivered above, failed below the line).</summary>
internal static class OpsCharts
{
    public const int Slices = 12;
    public static readonly TimeSpan Slice = TimeSpan.FromMinutes(5);
    private const int Width = 360, Half = 50, Bar = Width / Slices;

    public static string Render(string connector, IReadOnlyList<ThroughputBucket> buckets, DateTimeOffset since)
    {
        var delivered = new long[Slices];
        var failed = new long[Slices];
        foreach (var b in buckets.Where(b => b.Connector == connector))
        {
            var i = (int)((b.Start - since) / Slice);
            if (i is >= 0 and < Slices)
            {
                delivered[i] += b.Delivered;
                failed[i] += b.Failed;
            }
        }
        var max = Math.Max(1, Math.Max(delivered.Max(), failed.Max()));
        var label = $"{connector}, last hour in 5-minute slices: {delivered.Sum()} delivered, {failed.Sum()} failed attempts";
        var svg = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"<figure><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{E(label)}\" ")
            .Append(CultureInfo.InvariantCulture, $"viewBox=\"0 0 {Width} {2 * Half + 2}\" width=\"{Width}\" height=\"{2 * Half + 2}\" style=\"max-width:100%;height:auto\">")
            .Append(CultureInfo.InvariantCulture, $"<line x1=\"0\" y1=\"{Half + 1}\" x2=\"{Width}\" y2=\"{Half + 1}\" stroke=\"#888\"/>");
        for (var i = 0; i < Slices; i++)
        {
            var up = (int)Math.Round(delivered[i] * (double)Half / max);
            var down = (int)Math.Round(failed[i] * (double)Half / max);
            var at = since + i * Slice;
            if (up > 0)
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{i * Bar + 2}\" y=\"{Half + 1 - up}\" width=\"{Bar - 4}\" height=\"{up}\" fill=\"#2a7d2a\"><title>{Time(at)}: {delivered[i]} delivered</title></rect>");
            if (down > 0)
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{i * Bar + 2}\" y=\"{Half + 2}\" width=\"{Bar - 4}\" height=\"{down}\" fill=\"#b3261e\"><title>{Time(at)}: {failed[i]} failed</title></rect>");
        }
        return svg.Append("</svg><figcaption>").Append(E(label)).Append("</figcaption></figure>").ToString();
    }
}
