using System.Diagnostics;

namespace FieldOps.Jsonata.Tests;

public sealed class GuardrailTests
{
    private const string DeepRecursion = "($f := function($n){$n=0?0:1+$f($n-1)}; $f(100000))";

    [Fact]
    public void Evaluate_RunawayLoop_StopsAtTimeLimit()
    {
        var options = new EvaluationOptions { TimeLimit = TimeSpan.FromMilliseconds(200) };
        var sw = Stopwatch.StartNew();
        var ex = Assert.Throws<JsonataException>(() => Eval.Run("($f := function($n){ $f($n + 1) }; $f(0))", options: options));
        Assert.Equal("U1001", ex.Code);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), $"took {sw.Elapsed}");
    }

    [Fact]
    public void Evaluate_DeepRecursion_FailsWithDepthError()
    {
        var ex = Assert.Throws<JsonataException>(() => Eval.Run(DeepRecursion));
        Assert.Equal("U1001", ex.Code);
    }

    [Fact]
    public void Evaluate_DeepRecursionWithHugeMaxDepth_FailsWithoutCrashingTheProcess()
    {
        var options = new EvaluationOptions { MaxDepth = int.MaxValue };
        var ex = Assert.Throws<JsonataException>(() => Eval.Run(DeepRecursion, options: options));
        Assert.Equal("U1001", ex.Code);
    }

    [Fact]
    public void Evaluate_TailRecursion_RunsInConstantDepth()
    {
        var result = Eval.Run("($loop := function($n, $acc){ $n = 0 ? $acc : $loop($n - 1, $acc + 1) }; $loop(20000, 0))", options: new EvaluationOptions { MaxDepth = 50 });
        Assert.Equal("20000", result.ToJsonString());
    }

    [Fact]
    public void Evaluate_ModerateRecursionUnderLimit_Succeeds() => Assert.Equal("100", Eval.Run("($f := function($n){$n=0?0:1+$f($n-1)}; $f(100))").ToJsonString());
}
