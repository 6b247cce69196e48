using System.Text.Json;

namespace FieldOps.Jsonata.Tests;

/// <summary>Small helpers to evaluate an expression against JSON text.</summary>
internal static class Eval
{
    public static JsonataResult Run(string expr, string json = "null", NumberMode mode = NumberMode.Decimal, EvaluationOptions? options = null, IReadOnlyDictionary<string, JsonElement>? bindings = null, JsonataFunctionRegistry? functions = null)
    {
        using var doc = JsonDocument.Parse(json);
        return JsonataExpression.Compile(expr, new JsonataOptions { NumberMode = mode, Functions = functions }).Evaluate(doc.RootElement, bindings, options);
    }

    public static string Json(string expr, string json = "null", NumberMode mode = NumberMode.Decimal) => Run(expr, json, mode).ToJsonString();

    public static JsonElement Element(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }
}
