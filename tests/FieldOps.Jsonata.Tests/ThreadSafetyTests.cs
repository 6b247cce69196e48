using System.Collections.Concurrent;
using System.Text.Json;

namespace FieldOps.Jsonata.Tests;

public sealed class ThreadSafetyTests
{
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
}
