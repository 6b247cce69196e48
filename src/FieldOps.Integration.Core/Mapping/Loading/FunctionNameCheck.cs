using System.Text.RegularExpressions;
using FieldOps.Jsonata;

namespace FieldOps.Integration.Core.Mapping.Loading;

/// <summary>
/// Finds calls of functions that do not exist (<c>$uppercas(name)</c>), so a mapping is refused when it is loaded or
/// validated instead of failing on every event at run time. A call is known when it names a built-in, one of our
/// extension functions, or a variable the expression itself binds (<c>$f := function(...)</c>, a lambda parameter).
/// </summary>
internal static partial class FunctionNameCheck
{
    /// <summary>Each unknown call: its offset in <paramref name="text"/> and the message, with the nearest known name.</summary>
    public static IEnumerable<(int Position, string Message)> Unknown(string text, JsonataFunctionRegistry extensions)
    {
        var code = WithoutStrings(text);
        var bound = Bound().Matches(code).Select(m => m.Groups[1].Value)
            .Concat(Parameters().Matches(code).SelectMany(m => Variable().Matches(m.Groups[1].Value).Select(v => v.Groups[1].Value)))
            .ToHashSet(StringComparer.Ordinal);
        var known = JsonataFunctionRegistry.BuiltinNames.Concat(extensions.Names).ToList();
        foreach (Match call in Call().Matches(code))
        {
            var name = call.Groups[1].Value;
            if (known.Contains(name, StringComparer.Ordinal) || bound.Contains(name))
                continue;
            var near = Text.NearestName.Find(name, known);
            yield return (call.Index, $"unknown function ${name}" + (near is null ? "" : $" (did you mean ${near}?)")
                + "; the functions are JSONata's built-ins and " + string.Join(", ", extensions.Names.Order(StringComparer.Ordinal).Select(n => "$" + n)));
        }
    }

    /// <summary>The text with string literals blanked (same length), so a "$x(" inside a string is not a call.</summary>
    private static string WithoutStrings(string text) =>
        StringLiteral().Replace(text, m => new string(' ', m.Length));

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""|'(?:[^'\\]|\\.)*'")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\$(\w+)\s*\(")]
    private static partial Regex Call();

    [GeneratedRegex(@"\$(\w+)\s*:=")]
    private static partial Regex Bound();

    [GeneratedRegex(@"(?:function|λ)\s*\(([^)]*)\)")]
    private static partial Regex Parameters();

    [GeneratedRegex(@"\$(\w+)")]
    private static partial Regex Variable();
}
