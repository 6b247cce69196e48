using System.Collections.Concurrent;
using System.Text.Json;

namespace FieldOps.Jsonata.Tests;

public sealed class ThreadSafetyTests
{
    private static readonly string[] Sources = ["items[]", "tags[]", "$ ~> |items|{'v': 2}|", "items.v", "$.tags", "[items, tags]"];

    [Fact]
    public void Evaluate_SameExpressionFromManyThreads_GivesSameResults()
    {
        var expr = JsonataExpression.Compile("""
            {
              "id": id,
              "total": $sum(lines.(qty * price)),
              "names": lines^(>price).name,
              "label": $uppercase(name) & '-' & $string(id),
              "big": [lines[price > 10].name],
              "tx": $ ~> |lines|{"seen": true}|
            }
            """);
        var inputs = Enumerable.Range(0, 64).Select(i => JsonDocument.Parse($$"""
            {"id": {{i}}, "name": "job{{i}}", "lines": [{"name":"a","qty":{{i}},"price":19.99},{"name":"b","qty":2,"price":{{i}}.5}]}
            """).RootElement).ToArray();
        var expected = inputs.Select(e => expr.Evaluate(e).ToJsonString()).ToArray();
        var failures = new ConcurrentBag<string>();
        Parallel.For(0, 4000, new ParallelOptions { MaxDegreeOfParallelism = 16 }, n =>
        {
            var i = n % inputs.Length;
            var actual = expr.Evaluate(inputs[i]).ToJsonString();
            if (actual != expected[i])
            {
                failures.Add(actual);
            }
        });
        Assert.Empty(failures);
    }

    [Fact]
    public void Evaluate_PreparedInputSharedByManyExpressions_IsNotModified()
    {
        var input = JsonataValueOrUndefined.FromJson(JsonDocument.Parse("""{"items":[{"v":1}],"tags":["x"]}""").RootElement);
        var before = input.ToJsonString();
        var expressions = Sources.Select(e => JsonataExpression.Compile(e)).ToArray();
        var expected = expressions.Select(e => e.Evaluate(input).ToJsonString()).ToArray();
        Parallel.For(0, 600, n => Assert.Equal(expected[n % expected.Length], expressions[n % expressions.Length].Evaluate(input).ToJsonString()));
        Assert.Equal(before, input.ToJsonString());
        Assert.Equal("""[{"v":1}]""", expected[0]);
    }
}
