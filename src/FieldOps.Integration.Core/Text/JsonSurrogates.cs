using System.Text;

namespace FieldOps.Integration.Core.Text;

/// <summary>
/// JSON text whose strings hold a UTF-16 surrogate without its pair — half a character, as when a vendor cut a note at a
/// length through an emoji and JavaScript's <c>JSON.stringify</c> wrote the half as <c>\ud83d</c> — is valid JSON, but
/// System.Text.Json will not read such a string (<see cref="InvalidOperationException"/>), and no store keeps it as text.
/// Mended, each half is U+FFFD, the replacement character every UTF-8 reader shows for it: the event maps, and the rest of
/// the text is as sent. Pairs, escaped or not, and every other escape are left as they are.
/// </summary>
public static class JsonSurrogates
{
    /// <summary><paramref name="json"/> with each unpaired surrogate, escaped or raw, written as U+FFFD (the same instance when none).</summary>
    public static string Mend(string json) => Mend(json, '\uFFFD');

    /// <summary>
    /// <paramref name="json"/> with each unpaired surrogate written as <paramref name="replacement"/>: read twice, with
    /// two replacements, a value tells whether it held half a pair (it reads differently), as a source's cursor must.
    /// </summary>
    internal static string Mend(string json, char replacement)
    {
        ArgumentNullException.ThrowIfNull(json);
        // Most texts end here: no raw surrogate, no escape that could be one.
        if (json.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0 && json.IndexOf("\\ud", StringComparison.OrdinalIgnoreCase) < 0)
            return json;
        StringBuilder? mended = null;
        var copied = 0;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            int length;
            if (c == '\\')
            {
                if (Escaped(json, i) is not { } code)
                {
                    i++; // an escape of one character (\" \\ \n …): the character after the backslash is not a surrogate's
                    continue;
                }
                if (char.IsHighSurrogate(code) && Escaped(json, i + 6) is { } low && char.IsLowSurrogate(low))
                {
                    i += 11;
                    continue;
                }
                if (!char.IsSurrogate(code))
                {
                    i += 5;
                    continue;
                }
                length = 6;
            }
            else if (char.IsHighSurrogate(c) && i + 1 < json.Length && char.IsLowSurrogate(json[i + 1]))
            {
                i++;
                continue;
            }
            else if (char.IsSurrogate(c))
            {
                length = 1;
            }
            else
            {
                continue;
            }
            mended ??= new StringBuilder(json.Length);
            mended.Append(json, copied, i - copied).Append(replacement);
            copied = i + length;
            i += length - 1;
        }
        return mended is null ? json : mended.Append(json, copied, json.Length - copied).ToString();
    }

    /// <summary>The character a <c>\uXXXX</c> escape at <paramref name="at"/> names, or null when there is none there.</summary>
    private static char? Escaped(string json, int at)
    {
        if (at + 5 >= json.Length || json[at] != '\\' || json[at + 1] != 'u')
            return null;
        var code = 0;
        for (var k = at + 2; k < at + 6; k++)
        {
            var digit = HexValue(json[k]);
            if (digit < 0)
                return null;
            code = (code << 4) | digit;
        }
        return (char)code;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
