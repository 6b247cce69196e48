using System.Collections.Concurrent;

namespace FieldOps.Jsonata.Conformance;

/// <summary>Caches case outcomes per mode so the decimal pass can reuse the double run.</summary>
public static class OutcomeCache
{
    private static readonly ConcurrentDictionary<(string Id, NumberMode Mode), CaseOutcome> Outcomes = new();

    public static CaseOutcome Get(ConformanceCase c, NumberMode mode) => Outcomes.GetOrAdd((c.Id, mode), _ => CaseRunner.Run(c, mode));

    /// <summary>True when the decimal-mode run differs from the double-mode run (different result, or it fails where double passes).</summary>
    public static bool DecimalDiffers(ConformanceCase c, out string detail)
    {
        var d = Get(c, NumberMode.Double);
        var m = Get(c, NumberMode.Decimal);
        if (!m.Passed)
        {
            detail = "decimal mode fails: " + m.Reason;
            return true;
        }

        if (d.ResultJson is null != m.ResultJson is null || d.ErrorCode != m.ErrorCode)
        {
            detail = $"double gave {d.ResultJson ?? d.ErrorCode ?? "undefined"}, decimal gave {m.ResultJson ?? m.ErrorCode ?? "undefined"}";
            return true;
        }

        if (d.ResultJson is not null && !JsonCompare.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(d.ResultJson), System.Text.Json.Nodes.JsonNode.Parse(m.ResultJson!), 0))
        {
            detail = $"double gave {d.ResultJson}, decimal gave {m.ResultJson}";
            return true;
        }

        detail = string.Empty;
        return false;
    }
}
