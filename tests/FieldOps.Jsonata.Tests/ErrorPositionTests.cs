namespace FieldOps.Jsonata.Tests;

public sealed class ErrorPositionTests
{
    [Fact]
    public void Compile_SyntaxError_CarriesCodeAndPosition()
    {
        const string source = "Account.Order[0\n  .Product";
        var ex = Assert.Throws<JsonataException>(() => JsonataExpression.Compile(source));
        Assert.Equal("S0203", ex.Code);
        Assert.Equal(source.Length, ex.Position);
    }

    [Fact]
    public void Evaluate_TypeError_PositionGivesLineAndColumn()
    {
        const string source = "(\n  $x := 'a';\n  $x + 1\n)";
        var ex = Assert.Throws<JsonataException>(() => Eval.Run(source));
        Assert.Equal("T2001", ex.Code);
        Assert.Equal("+", ex.Token);
        Assert.Equal(source.IndexOf('+', StringComparison.Ordinal), ex.Position);
        Assert.Equal((3, 6), ex.GetLineColumn(source));
    }

    [Fact]
    public void Evaluate_SignatureMismatch_ReportsT0410WithFunctionName()
    {
        var ex = Assert.Throws<JsonataException>(() => Eval.Run("$substring('abc', 'x')"));
        Assert.Equal("T0410", ex.Code);
        Assert.Equal("substring", ex.Token);
        Assert.Equal("Argument 2 of function $substring does not match function signature", ex.Message);
        Assert.Equal(10, ex.Position);
    }

    [Fact]
    public void GetLineColumn_UnknownPosition_ReturnsZero() => Assert.Equal((0, 0), new JsonataException("D3137", "x").GetLineColumn("abc"));

    [Theory]
    [InlineData("\"unterminated", "S0101")]
    [InlineData("1 +", "S0207")]
    [InlineData("$x := ", "S0207")]
    [InlineData("foo bar", "S0201")]
    public void Compile_InvalidSource_Throws(string source, string code) => Assert.Equal(code, Assert.Throws<JsonataException>(() => JsonataExpression.Compile(source)).Code);
}
