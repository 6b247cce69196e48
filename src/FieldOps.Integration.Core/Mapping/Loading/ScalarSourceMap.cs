using YamlDotNet.Core;

namespace FieldOps.Integration.Core.Mapping.Loading;

/// <summary>
/// Maps each character of a YAML scalar's value back to its offset in the file, undoing quoting, escapes, line
/// folding and block-scalar indentation, so an error at offset N of an expression points at the right character.
/// </summary>
internal static class ScalarSourceMap
{
    /// <summary>The file offset of every value character, plus one past the end.</summary>
    public static int[] Build(string text, int start, ScalarStyle style, string value)
    {
        var map = new int[value.Length + 1];
        var block = style is ScalarStyle.Literal or ScalarStyle.Folded;
        var r = start;
        var indent = 0;
        var atLineStart = false;
        if (block)
        {
            var newline = text.IndexOf('\n', start);
            r = newline < 0 ? text.Length : newline + 1;
            indent = ExplicitIndent(text, start, newline) ?? FirstIndent(text, r);
            atLineStart = true;
        }
        else if (style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted)
        {
            r = start + 1;
        }

        var v = 0;
        while (v < value.Length)
        {
            if (r >= text.Length)
            {
                map[v++] = Math.Max(0, text.Length - 1);
                continue;
            }
            if (atLineStart)
            {
                for (var skipped = 0; skipped < indent && r < text.Length && text[r] == ' '; skipped++)
                    r++;
                atLineStart = false;
                continue;
            }
            var c = value[v];
            var raw = text[r];
            if (style == ScalarStyle.DoubleQuoted && raw == '\\')
            {
                if (r + 1 < text.Length && text[r + 1] is '\n' or '\r')
                {
                    r = SkipBlank(text, SkipNewline(text, r + 1));
                    continue;
                }
                map[v++] = r;
                r += EscapeLength(text, r);
                continue;
            }
            if (style == ScalarStyle.SingleQuoted && raw == '\'' && c == '\'')
            {
                map[v++] = r;
                r += 2;
                continue;
            }
            if (raw == c && raw != '\r')
            {
                map[v++] = r++;
                if (raw == '\n')
                    atLineStart = block;
                continue;
            }
            if (c is ' ' or '\n' && raw is '\n' or '\r')
            {
                map[v++] = r;
                r = SkipNewline(text, r);
                if (block)
                    atLineStart = true;
                else
                    r = SkipBlank(text, r);
                continue;
            }
            r++;
        }
        map[value.Length] = Math.Min(r, text.Length);
        return map;
    }

    /// <summary>The content indentation an indicator such as <c>|2</c> sets: the header line's indentation plus the digit.</summary>
    private static int? ExplicitIndent(string text, int start, int newline)
    {
        var header = text[start..(newline < 0 ? text.Length : newline)];
        var digit = header.FirstOrDefault(char.IsAsciiDigit);
        if (digit == default)
            return null;
        var lineStart = text.LastIndexOf('\n', Math.Max(0, start - 1)) + 1;
        var parent = 0;
        while (lineStart + parent < text.Length && text[lineStart + parent] == ' ')
            parent++;
        return parent + (digit - '0');
    }

    private static int FirstIndent(string text, int lineStart)
    {
        var i = lineStart;
        while (i < text.Length)
        {
            var spaces = 0;
            while (i + spaces < text.Length && text[i + spaces] == ' ')
                spaces++;
            var next = i + spaces;
            if (next >= text.Length || text[next] is not ('\n' or '\r'))
                return spaces;
            i = SkipNewline(text, next);
        }
        return 0;
    }

    private static int SkipNewline(string text, int r)
    {
        if (r < text.Length && text[r] == '\r')
            r++;
        if (r < text.Length && text[r] == '\n')
            r++;
        return r;
    }

    private static int SkipBlank(string text, int r)
    {
        while (r < text.Length && text[r] is ' ' or '\t')
            r++;
        return r;
    }

    private static int EscapeLength(string text, int r) =>
        r + 1 < text.Length
            ? text[r + 1] switch
            {
                'x' => 4,
                'u' => 6,
                'U' => 10,
                _ => 2,
            }
            : 1;
}
