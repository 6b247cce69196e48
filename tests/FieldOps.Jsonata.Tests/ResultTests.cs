using System.Text.Json;

namespace FieldOps.Jsonata.Tests;

public sealed class ResultTests
{
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Fact]
    public void Evaluate_MissingPath_IsUndefinedNotNull()
    {
        var r = Eval.Run("missing", """{"a":1}""");
        Assert.True(r.IsUndefined);
        Assert.Null(r.ToJsonNode());
        Assert.Throws<InvalidOperationException>(() => r.ToJsonString());
        using var ms = new MemoryStream();
        using var w = new Utf8JsonWriter(ms);
        Assert.Throws<InvalidOperationException>(() => r.WriteTo(w));
    }

    [Fact]
    public void Evaluate_NullValue_IsJsonNull()
    {
        var r = Eval.Run("a", """{"a":null}""");
        Assert.False(r.IsUndefined);
        Assert.Equal("null", r.ToJsonString());
    }

    [Fact]
    public void WriteTo_Object_WritesCompactJson()
    {
        var r = Eval.Run("""{"n": 3 * 19.99, "s": "x", "a": [1, true]}""");
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            r.WriteTo(w);
        }

        Assert.Equal("""{"n":59.97,"s":"x","a":[1,true]}""", System.Text.Encoding.UTF8.GetString(ms.ToArray()));
    }

    [Fact]
    public void EvaluateWithoutInput_DollarIsUndefined() => Assert.True(JsonataExpression.Compile("$").EvaluateWithoutInput().IsUndefined);

    [Fact]
    public void Now_UsesTimeProvider()
    {
        var clock = new FixedClock(new DateTimeOffset(2026, 3, 1, 8, 30, 0, TimeSpan.Zero));
        var r = JsonataExpression.Compile("[$now(), $millis()]").EvaluateWithoutInput(options: new EvaluationOptions { TimeProvider = clock });
        Assert.Equal("[\"2026-03-01T08:30:00.000Z\",1772353800000]", r.ToJsonString());
    }

    [Fact]
    public void Compile_Source_IsKept() => Assert.Equal("a.b", JsonataExpression.Compile("a.b").Source);
}
