using System.Text.Json.Nodes;

namespace FieldOps.Jsonata.Conformance;

/// <summary>Runs a case in a number mode, on a dedicated thread guarded by a timeout.</summary>
public static class CaseRunner
{
    private const double Tolerance = 1e-13;
    private const int StackSize = 64 * 1024 * 1024;

    public static CaseOutcome Run(ConformanceCase c, NumberMode mode)
    {
        CaseOutcome? outcome = null;
        var thread = new Thread(() => outcome = RunCore(c, mode), StackSize) { IsBackground = true, Name = c.Id };
        thread.Start();
        var guard = TimeSpan.FromMilliseconds(Math.Max(30_000, (c.TimeLimitMs ?? 0) * 3));
        if (!thread.Join(guard))
        {
            return new CaseOutcome(false, $"hung: no result within {guard.TotalSeconds:0}s", null, null);
        }

        return outcome ?? new CaseOutcome(false, "no outcome", null, null);
    }

    private static CaseOutcome RunCore(ConformanceCase c, NumberMode mode)
    {
        if (c.Expr is null)
        {
            return new CaseOutcome(false, "expr-file missing from the suite", null, null);
        }

        JsonataResult result;
        try
        {
            var expr = JsonataExpression.Compile(c.Expr, new JsonataOptions { NumberMode = mode });
            var options = new EvaluationOptions
            {
                TimeLimit = TimeSpan.FromMilliseconds(c.TimeLimitMs ?? 20_000),
                MaxDepth = c.Depth ?? 10_000,
            };
            result = c.Input is { } input ? expr.Evaluate(input, c.Bindings, options) : expr.EvaluateWithoutInput(c.Bindings, options);
        }
        catch (JsonataException ex)
        {
            if (c.Code is null)
            {
                return new CaseOutcome(false, $"unexpected error {ex.Code}: {ex.Message}", null, ex.Code);
            }

            if (ex.Code != c.Code)
            {
                return new CaseOutcome(false, $"expected error {c.Code}, got {ex.Code}: {ex.Message}", null, ex.Code);
            }

            if (c.Token is not null && ex.Token != c.Token)
            {
                return new CaseOutcome(false, $"expected token {c.Token}, got {ex.Token}", null, ex.Code);
            }

            return new CaseOutcome(true, string.Empty, null, ex.Code);
        }
#pragma warning disable CA1031 // a crash of the engine is a case failure, reported with its type
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new CaseOutcome(false, $"crash {ex.GetType().Name}: {ex.Message}", null, null);
        }

        var json = result.IsUndefined ? null : result.ToJsonString();
        if (c.Code is not null)
        {
            return new CaseOutcome(false, $"expected error {c.Code}, got {json ?? "undefined"}", json, null);
        }

        if (c.UndefinedResult)
        {
            return json is null ? new CaseOutcome(true, string.Empty, null, null) : new CaseOutcome(false, $"expected undefined, got {Trim(json)}", json, null);
        }

        if (c.Result is not { } expected)
        {
            return new CaseOutcome(false, "case has no expectation", json, null);
        }

        if (json is null)
        {
            return new CaseOutcome(false, $"expected {Trim(expected.GetRawText())}, got undefined", null, null);
        }

        var ok = JsonCompare.DeepEquals(JsonNode.Parse(json), JsonNode.Parse(expected.GetRawText()), Tolerance);
        return ok ? new CaseOutcome(true, string.Empty, json, null) : new CaseOutcome(false, $"expected {Trim(expected.GetRawText())}, got {Trim(json)}", json, null);
    }

    private static string Trim(string s)
    {
        s = s.Replace('\n', ' ').Replace('\r', ' ');
        return s.Length > 160 ? s[..160] + "..." : s;
    }
}
