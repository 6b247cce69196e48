namespace FieldOps.Jsonata.Tests.Regressions;

public sealed class RegressionTests
{
    [Fact]
    public void GroupBy_EmptyTupleStream_GivesEmptyObject()
    {
        const string json = """{"loans":[{"isbn":"1","customer":"c1"}],"books":[{"isbn":"1","title":"T"}],"customers":[{"id":"c1"}]}""";
        Assert.Equal("{}", Eval.Json("loans@$L.books@$B[$L.isbn=$B.isbn].customers[$L.customer='none']{ id: $B.title[] }", json));
    }

    [Fact]
    public void KeepArray_OnInputArray_DoesNotWrapTwice() => Assert.Equal("""[{"foo":"bar"}]""", Eval.Json("singleArray[]", """{"singleArray":[{"foo":"bar"}]}"""));

    [Fact]
    public void String_TinyDecimal_UsesExponentLikeJavaScript() => Assert.Equal("\"1e-7\"", Eval.Json("$string(0.0000001)"));

    [Fact]
    public void ParentOperator_InSortTerm_ResolvesAncestor()
    {
        const string json = """{"o":[{"p":3,"i":[{"s":"a"}]},{"p":1,"i":[{"s":"b"}]}]}""";
        Assert.Equal("""["b","a"]""", Eval.Json("o.i.s^(%.%.p)", json));
    }
}
