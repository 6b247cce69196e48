namespace FieldOps.Jsonata.Tests;

public sealed class DecimalModeTests
{
    [Fact]
    public void Multiply_MoneyInDecimalMode_IsExact() => Assert.Equal("59.97", Eval.Json("3 * 19.99"));

    [Fact]
    public void Multiply_MoneyInDoubleMode_HasIeeeArtefact() => Assert.Equal("0.30000000000000004", Eval.Json("3 * 0.1", mode: NumberMode.Double));

    [Fact]
    public void Sum_PricesInDecimalMode_IsExact()
    {
        const string json = """{"lines":[{"qty":2,"price":34.45},{"qty":1,"price":21.67}]}""";
        Assert.Equal("90.57", Eval.Json("$sum(lines.(qty * price))", json));
        Assert.Equal("90.57000000000001", Eval.Json("$sum(lines.(qty * price))", json, NumberMode.Double));
    }

    [Fact]
    public void Add_PointOnePlusPointTwo_DiffersByMode()
    {
        Assert.Equal("0.3", Eval.Json("0.1 + 0.2"));
        Assert.Equal("0.30000000000000004", Eval.Json("0.1 + 0.2", mode: NumberMode.Double));
    }

    [Fact]
    public void Multiply_BeyondDecimalRange_FallsBackToDouble() => Assert.Equal("1e+40", Eval.Json("1e20 * 1e20"));

    [Theory]
    [InlineData("1e21", "1e+21")]
    [InlineData("100", "100")]
    [InlineData("1.50", "1.5")]
    [InlineData("0.0000001", "1e-7")]
    [InlineData("123456789012", "123456789012")]
    public void Literal_Output_FormatsLikeJavaScript(string expr, string expected)
    {
        Assert.Equal(expected, Eval.Json(expr, mode: NumberMode.Double));
        Assert.Equal(expected, Eval.Json(expr));
    }

    [Fact]
    public void Round_HalfEven_InDecimalMode() => Assert.Equal("[2,2,2.45,0.12]", Eval.Json("[$round(2.5), $round(1.5), $round(2.45, 1) + 0.05, $round(0.125, 2)]"));
}
