using System.Text.Json;
using System.Text.Json.Nodes;
using FieldOps.Jsonata.Parsing;
using FieldOps.Jsonata.Runtime;

namespace FieldOps.Jsonata;

/// <summary>
/// A compiled JSONata expression. Immutable and thread-safe: compile once, evaluate many times, from many threads.
/// </summary>
public sealed class JsonataExpression
{
    private readonly Node _ast;
    private readonly IReadOnlyDictionary<string, JFunction>? _host;

    private JsonataExpression(string source, Node ast, NumberMode mode, IReadOnlyDictionary<string, JFunction>? host)
    {
        Source = source;
        _ast = ast;
        NumberMode = mode;
        _host = host;
    }

    /// <summary>The expression text.</summary>
    public string Source { get; }

    /// <summary>Number mode the expression was compiled with.</summary>
    public NumberMode NumberMode { get; }

    /// <summary>Parses and prepares an expression.</summary>
    /// <exception cref="JsonataException">Syntax error (codes S0xxx), with <see cref="JsonataException.Position"/> set.</exception>
    public static JsonataExpression Compile(string source, JsonataOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        options ??= new JsonataOptions();
        var ast = Parser.Parse(source, options.NumberMode);
        return new JsonataExpression(source, ast, options.NumberMode, options.Functions?.Snapshot());
    }

    /// <summary>Evaluates against a JSON element.</summary>
    /// <param name="input">The input document (<c>$$</c>).</param>
    /// <param name="bindings">Variables, by name without <c>$</c> (e.g. a lookup table bound as <c>statusMap</c>).</param>
    /// <param name="options">Guardrails; defaults to <see cref="EvaluationOptions.Default"/>.</param>
    /// <exception cref="JsonataException">Evaluation error (T/D/U codes).</exception>
    public JsonataResult Evaluate(JsonElement input, IReadOnlyDictionary<string, JsonElement>? bindings = null, EvaluationOptions? options = null)
        => Run(Json.FromElement(input, NumberMode), true, bindings, options);

    /// <summary>Evaluates against a JSON node (<c>null</c> is JSON null, not undefined).</summary>
    public JsonataResult Evaluate(JsonNode? input, IReadOnlyDictionary<string, JsonElement>? bindings = null, EvaluationOptions? options = null)
        => Run(Json.FromNode(input, NumberMode), true, bindings, options);

    /// <summary>Evaluates with an <em>undefined</em> input (no document).</summary>
    public JsonataResult EvaluateWithoutInput(IReadOnlyDictionary<string, JsonElement>? bindings = null, EvaluationOptions? options = null)
        => Run(null, false, bindings, options);

    /// <summary>
    /// Evaluates against an already converted value; undefined means no input. Convert a payload once with
    /// <see cref="JsonataValueOrUndefined.FromJson(JsonElement)"/> and evaluate many expressions (e.g. one per mapped field)
    /// against it without re-reading the JSON each time. The value is never modified by evaluation, so it may be shared across threads.
    /// </summary>
    public JsonataResult Evaluate(JsonataValueOrUndefined input, IReadOnlyDictionary<string, JsonElement>? bindings = null, EvaluationOptions? options = null)
        => Run(Normalized(input), !input.IsUndefined, bindings, options);

    /// <summary>
    /// Evaluates an already converted value with variables converted once (<see cref="JsonataBindings.From"/>): the
    /// cheapest way to run many expressions over one payload with the same lookup tables.
    /// </summary>
    public JsonataResult Evaluate(JsonataValueOrUndefined input, JsonataBindings bindings, EvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(bindings);
        return Run(Normalized(input), !input.IsUndefined, Frame.Over(bindings.For(NumberMode)), options);
    }

    private object? Normalized(JsonataValueOrUndefined input) =>
        NumberMode == NumberMode.Decimal ? input.Raw : JsonataFunctionRegistry.Normalize(input.Raw, NumberMode);

    private JsonataResult Run(object? input, bool hasInput, IReadOnlyDictionary<string, JsonElement>? bindings, EvaluationOptions? options)
    {
        var env = new Frame(null);
        if (bindings is not null)
        {
            foreach (var kv in bindings)
            {
                env.Bind(kv.Key.TrimStart('$'), Json.FromElement(kv.Value, NumberMode));
            }
        }

        return Run(input, hasInput, env, options);
    }

    private JsonataResult Run(object? input, bool hasInput, Frame env, EvaluationOptions? options)
    {
        options ??= EvaluationOptions.Default;
        var ev = new Evaluator(NumberMode, options, _host);
        if (hasInput && input is JList list)
        {
            input = new JList { list }.AsOuterWrapper();
        }

        env.Bind("$", input);
        var result = ev.Evaluate(_ast, input, env);
        if (result is JList { IsSequence: true, Count: 0 })
        {
            result = null;
        }

        return new JsonataResult(result);
    }
}
