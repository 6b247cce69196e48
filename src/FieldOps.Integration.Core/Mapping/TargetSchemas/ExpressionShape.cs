using System.Globalization;
using System.Text;

namespace FieldOps.Integration.Core.Mapping.TargetSchemas;

/// <summary>What a mapped value is, as far as it can be told without running it.</summary>
internal enum ValueKind
{
    String,
    Number,
    Integer,
    Boolean,
    Null,
    Object,
    Array,
}

/// <summary>
/// One possible shape of a mapped value: a literal (its kind and text known), a constructor (<c>{…}</c> or
/// <c>[…]</c>, with an object's members), or a computed value whose kind the operator or function says.
/// </summary>
/// <param name="Kind">What it is.</param>
/// <param name="Literal">Written as a literal (a wrong kind is an error, not a guess).</param>
/// <param name="Text">A literal's value.</param>
/// <param name="Offset">Where the value starts in the expression.</param>
/// <param name="Members">An object constructor's members: key, the member's expression and its offset.</param>
internal sealed record ValueShape(ValueKind Kind, bool Literal, string? Text, int Offset, IReadOnlyList<(string Key, int KeyOffset, string Value, int ValueOffset)>? Members = null)
{
    /// <summary>A list's items when they are known (an array constructor, <c>$append</c> of them); null otherwise.</summary>
    public IReadOnlyList<ValueShape>? Items { get; init; }

    /// <summary>Where a computed kind comes from when it is a source field, for messages; null for operators and functions.</summary>
    public string? Source { get; init; }

    /// <summary>The source paths the members of a constructor are typed against (inside <c>path.{…}</c>, relative to each item).</summary>
    public SourcePaths? MemberPaths { get; init; }

    /// <summary>A constructor (<c>{…}</c>, <c>[…]</c>) is as certain as a literal.</summary>
    public bool Certain => Literal || Members is not null || (Kind == ValueKind.Array && Text == "[]");
}

/// <summary>
/// Reads the shape of a JSONata expression from its text: literals, object and array constructors, the branches of a
/// condition, the kind the top-level operator or a built-in function gives, the items of a list built by <c>[…]</c> or
/// <c>$append</c>, and a plain path's kind from the canonical schemas (<see cref="SourcePaths"/>). Anything else gives no
/// shape (not checked), so the check never guesses.
/// </summary>
internal static class ExpressionShape
{
    private static readonly HashSet<string> StringFunctions = new(StringComparer.Ordinal)
    {
        "string", "substring", "substringBefore", "substringAfter", "uppercase", "lowercase", "trim", "pad", "join", "replace",
        "formatNumber", "formatBase", "formatInteger", "base64encode", "base64decode", "encodeUrl", "encodeUrlComponent",
        "localDate", "localTime", "digest", "fromMillis", "now", "type",
    };

    private static readonly HashSet<string> ArrayFunctions = new(StringComparer.Ordinal)
    {
        "split", "keys", "spread", "zip", "map", "filter", "shuffle",
    };

    /// <summary>Functions whose result is a list of their list arguments' items (<c>$append</c>) or of the first one's (<c>$sort</c>, …).</summary>
    private static readonly HashSet<string> ItemFunctions = new(StringComparer.Ordinal) { "append", "sort", "reverse", "distinct" };

    private static readonly HashSet<string> NumberFunctions = new(StringComparer.Ordinal)
    {
        "number", "round", "roundHalfUp", "abs", "floor", "ceil", "power", "sqrt", "sum", "max", "min", "average", "count", "length", "toMillis", "millis",
    };

    private static readonly HashSet<string> BooleanFunctions = new(StringComparer.Ordinal) { "boolean", "not", "exists", "contains" };

    /// <summary>The possible shapes of <paramref name="expression"/> (one per branch of a condition); empty when unknown.</summary>
    public static IReadOnlyList<ValueShape> Of(string expression, int offset = 0, SourcePaths? paths = null)
    {
        var shapes = new List<ValueShape>();
        Collect(expression, offset, shapes, paths);
        return shapes;
    }

    private static void Collect(string expression, int offset, List<ValueShape> shapes, SourcePaths? paths)
    {
        var (text, start) = Trim(expression, offset);
        if (text.Length == 0)
            return;
        if (text[0] == '(' && Closing(text, 0) == text.Length - 1 && !text.Contains(';', StringComparison.Ordinal))
        {
            Collect(text[1..^1], start + 1, shapes, paths);
            return;
        }
        if (TopLevel(text, "?") is { } question && question + 1 < text.Length && text[question + 1] is not ('?' or ':'))
        {
            var rest = text[(question + 1)..];
            if (TopLevel(rest, ":") is { } colon)
            {
                Collect(rest[..colon], start + question + 1, shapes, paths);
                Collect(rest[(colon + 1)..], start + question + 2 + colon, shapes, paths);
            }
            else
            {
                Collect(rest, start + question + 1, shapes, paths);
            }
            return;
        }
        if (Literal(text, start) is { } literal)
        {
            shapes.Add(literal);
            return;
        }
        if (TopLevelWord(text, "or") || TopLevelWord(text, "and") || TopLevelWord(text, "in")
            || TopLevel(text, "=") is not null || TopLevel(text, "<") is not null || TopLevel(text, ">") is not null)
        {
            shapes.Add(new ValueShape(ValueKind.Boolean, false, null, start));
            return;
        }
        if (TopLevel(text, "&") is not null)
        {
            shapes.Add(new ValueShape(ValueKind.String, false, null, start));
            return;
        }
        if (Arithmetic(text))
        {
            shapes.Add(new ValueShape(ValueKind.Number, false, null, start));
            return;
        }
        if (text[0] == '{' && Closing(text, 0) == text.Length - 1)
        {
            shapes.Add(new ValueShape(ValueKind.Object, false, null, start, Members(text[1..^1], start + 1)) { MemberPaths = paths });
            return;
        }
        if (text[0] == '[' && Closing(text, 0) == text.Length - 1)
        {
            var items = new List<ValueShape>();
            var known = true;
            foreach (var (part, partOffset) in Parts(text[1..^1], start + 1))
                known &= Items(part, partOffset, items, paths);
            shapes.Add(new ValueShape(ValueKind.Array, false, text.Trim() == "[]" ? "[]" : null, start) { Items = known ? items : null });
            return;
        }
        // A path ending in an object constructor (entity.address.{ "Line1": line1 }) gives that object (or an array of them).
        if (text[^1] == '}' && Opening(text, text.Length - 1) is { } open && open > 0 && text[open - 1] == '.')
        {
            shapes.Add(new ValueShape(ValueKind.Object, false, null, start + open, Members(text[(open + 1)..^1], start + open + 1))
            {
                MemberPaths = paths?.Enter(text[..(open - 1)]),
            });
            return;
        }
        if (text[0] == '$' && text.IndexOf('(', StringComparison.Ordinal) is var paren and > 1 && Closing(text, paren) == text.Length - 1)
        {
            var name = text[1..paren];
            if (StringFunctions.Contains(name))
                shapes.Add(new ValueShape(ValueKind.String, false, null, start));
            else if (NumberFunctions.Contains(name))
                shapes.Add(new ValueShape(ValueKind.Number, false, null, start));
            else if (BooleanFunctions.Contains(name))
                shapes.Add(new ValueShape(ValueKind.Boolean, false, null, start));
            else if (ArrayFunctions.Contains(name))
                shapes.Add(new ValueShape(ValueKind.Array, false, null, start));
            else if (name == "merge")
                shapes.Add(new ValueShape(ValueKind.Object, false, null, start));
            else if (ItemFunctions.Contains(name))
            {
                var items = new List<ValueShape>();
                var known = true;
                foreach (var (argument, argumentOffset) in Parts(text[(paren + 1)..^1], start + paren + 1).Take(name == "append" ? 2 : 1))
                    known &= Items(argument, argumentOffset, items, paths);
                shapes.Add(new ValueShape(ValueKind.Array, false, null, start) { Items = known ? items : null });
            }
            return;
        }
        if (paths?.KindOf(text) is { } source)
            shapes.Add(new ValueShape(source.Kind, false, null, start) { Source = source.Describe });
    }

    /// <summary>
    /// Adds the items <paramref name="expression"/> gives to a list (a list's own items, or the value itself); false when
    /// they cannot be told (a list whose items are not known, or a value of no known shape).
    /// </summary>
    private static bool Items(string expression, int offset, List<ValueShape> items, SourcePaths? paths)
    {
        var shapes = new List<ValueShape>();
        Collect(expression, offset, shapes, paths);
        if (shapes.Count == 0)
            return false;
        foreach (var shape in shapes)
        {
            if (shape.Kind != ValueKind.Array)
                items.Add(shape);
            else if (shape.Items is { } inner)
                items.AddRange(inner);
            else
                return false;
        }
        return true;
    }

    /// <summary>The comma-separated parts of <paramref name="body"/> (a list's items, a call's arguments) with their offsets.</summary>
    private static IEnumerable<(string Text, int Offset)> Parts(string body, int offset)
    {
        var position = 0;
        foreach (var part in Split(body, ','))
        {
            if (part.Trim().Length > 0)
                yield return (part, offset + position);
            position += part.Length + 1;
        }
    }

    private static ValueShape? Literal(string text, int start)
    {
        if ((text[0] == '\'' || text[0] == '"') && StringEnd(text, 0) == text.Length - 1)
            return new ValueShape(ValueKind.String, true, Unescape(text[1..^1]), start);
        if (text is "true" or "false")
            return new ValueShape(ValueKind.Boolean, true, text, start);
        if (text == "null")
            return new ValueShape(ValueKind.Null, true, text, start);
        if (decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var number))
            return new ValueShape(number == decimal.Truncate(number) && !text.Contains('.', StringComparison.Ordinal) ? ValueKind.Integer : ValueKind.Number, true, text, start);
        return null;
    }

    private static List<(string, int, string, int)> Members(string body, int offset)
    {
        var members = new List<(string, int, string, int)>();
        foreach (var (part, partOffset) in Parts(body, offset))
        {
            var (member, memberStart) = Trim(part, partOffset);
            if (TopLevel(member, ":") is not { } colon)
                continue;
            var (key, keyStart) = Trim(member[..colon], memberStart);
            if (key.Length < 2 || (key[0] != '\'' && key[0] != '"') || StringEnd(key, 0) != key.Length - 1)
                continue; // a computed key: not checked
            members.Add((Unescape(key[1..^1]), keyStart, member[(colon + 1)..], memberStart + colon + 1));
        }
        return members;
    }

    private static (string Text, int Start) Trim(string text, int offset)
    {
        var begin = 0;
        while (begin < text.Length && char.IsWhiteSpace(text[begin]))
            begin++;
        var end = text.Length;
        while (end > begin && char.IsWhiteSpace(text[end - 1]))
            end--;
        return (text[begin..end], offset + begin);
    }

    private static bool Arithmetic(string text)
    {
        foreach (var op in new[] { "+", "-", "/", "%", "*" })
        {
            if (TopLevel(text, op) is { } at && at > 0 && at < text.Length - 1 && text[at - 1] != '.' && text[at + 1] != '.'
                && !(op == "*" && (text[at + 1] == '*' || text[at - 1] == '*')))
                return true;
        }
        return false;
    }

    private static bool TopLevelWord(string text, string word)
    {
        var at = TopLevel(text, " " + word + " ");
        return at is not null;
    }

    /// <summary>The first index of <paramref name="token"/> outside strings, brackets and comments, or null.</summary>
    private static int? TopLevel(string text, string token)
    {
        var depth = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\'' or '"' or '`')
            {
                i = StringEnd(text, i);
                continue;
            }
            if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                var close = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = close < 0 ? text.Length : close + 1;
                continue;
            }
            if (c is '(' or '[' or '{')
                depth++;
            else if (c is ')' or ']' or '}')
                depth--;
            else if (depth == 0 && string.CompareOrdinal(text, i, token, 0, token.Length) == 0)
                return i;
        }
        return null;
    }

    private static IEnumerable<string> Split(string text, char separator)
    {
        var start = 0;
        while (TopLevel(text[start..], separator.ToString()) is { } at)
        {
            yield return text.Substring(start, at);
            start += at + 1;
        }
        yield return text[start..];
    }

    private static int StringEnd(string text, int open)
    {
        var quote = text[open];
        for (var i = open + 1; i < text.Length; i++)
        {
            if (text[i] == '\\' && quote != '`')
                i++;
            else if (text[i] == quote)
                return i;
        }
        return text.Length;
    }

    private static int Closing(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\'' or '"' or '`')
                i = StringEnd(text, i);
            else if (c is '(' or '[' or '{')
                depth++;
            else if (c is ')' or ']' or '}' && --depth == 0)
                return i;
        }
        return -1;
    }

    private static int? Opening(string text, int close)
    {
        for (var i = 0; i < close; i++)
        {
            if (text[i] == '{' && Closing(text, i) == close)
                return i;
            if (text[i] is '\'' or '"' or '`')
                i = StringEnd(text, i);
        }
        return null;
    }

    private static string Unescape(string text)
    {
        if (!text.Contains('\\', StringComparison.Ordinal))
            return text;
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
            builder.Append(text[i] == '\\' && i + 1 < text.Length ? text[++i] : text[i]);
        return builder.ToString();
    }
}
