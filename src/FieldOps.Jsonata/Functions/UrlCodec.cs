using System.Globalization;
using System.Text;

namespace FieldOps.Jsonata.Runtime;

/// <summary>JavaScript-compatible encodeURI(Component)/decodeURI(Component).</summary>
internal static class UrlCodec
{
    private const string ComponentSafe = "-_.!~*'()";
    private const string UriReserved = ";,/?:@&=+$#";

    public static string Encode(string s, string fn, bool fullUri)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsAsciiLetterOrDigit(c) || ComponentSafe.Contains(c, StringComparison.Ordinal) || (fullUri && UriReserved.Contains(c, StringComparison.Ordinal)))
            {
                sb.Append(c);
                continue;
            }

            string chunk;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1]))
                {
                    throw Errors.Create("D3140", token: fn, value: s);
                }

                chunk = s.Substring(i, 2);
                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                throw Errors.Create("D3140", token: fn, value: s);
            }
            else
            {
                chunk = c.ToString();
            }

            foreach (var b in Encoding.UTF8.GetBytes(chunk))
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    public static string Decode(string s, string fn, bool fullUri)
    {
        var sb = new StringBuilder();
        var strict = new UTF8Encoding(false, true);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] != '%')
            {
                sb.Append(s[i]);
                continue;
            }

            var bytes = new List<byte>();
            var start = i;
            while (i < s.Length && s[i] == '%')
            {
                if (i + 2 >= s.Length || !byte.TryParse(s.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
                {
                    throw Errors.Create("D3140", token: fn, value: s);
                }

                bytes.Add(b);
                i += 3;
            }

            i--;
            string decoded;
            try
            {
                decoded = strict.GetString([.. bytes]);
            }
            catch (DecoderFallbackException)
            {
                throw Errors.Create("D3140", token: fn, value: s);
            }

            if (fullUri)
            {
                // keep escapes of reserved characters as-is
                var k = 0;
                foreach (var ch in decoded)
                {
                    if (ch < 0x80 && (UriReserved.Contains(ch, StringComparison.Ordinal)))
                    {
                        sb.Append(s, start + (k * 3), 3);
                    }
                    else
                    {
                        sb.Append(ch);
                    }

                    k += ch < 0x80 ? 1 : 0;
                }
            }
            else
            {
                sb.Append(decoded);
            }
        }

        return sb.ToString();
    }
}
