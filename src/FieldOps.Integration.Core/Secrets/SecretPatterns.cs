using System.Text.RegularExpressions;

namespace FieldOps.Integration.Core.Secrets;

/// <summary>
/// Secrets recognised by their shape rather than their value: <c>Bearer</c>/<c>Basic</c> credentials, and the value
/// of a JSON member or form field whose name says token, secret, password or key.
/// </summary>
internal static partial class SecretPatterns
{
    /// <summary>What replaces a secret.</summary>
    public const string Mask = "***";

    /// <summary>Returns <paramref name="text"/> with every secret-shaped value replaced by <see cref="Mask"/>.</summary>
    public static string Scrub(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
            return text;
        text = JsonMember().Replace(text, m => $"{m.Groups[1].Value}\"{Mask}\"");
        text = FormField().Replace(text, m => m.Groups[1].Value + Mask);
        return Credential().Replace(text, m => m.Groups[1].Value + Mask);
    }

    [GeneratedRegex("(\"[A-Za-z_\\-]*(?:token|secret|password|apikey|api_key|authorization)[A-Za-z_\\-]*\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex JsonMember();

    [GeneratedRegex("((?:^|[?&\\s])[A-Za-z_\\-]*(?:token|secret|password|apikey|api_key)=)[^&\\s\"']+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FormField();

    [GeneratedRegex("(\\b(?:Bearer|Basic)\\s+)[A-Za-z0-9\\-._~+/]+=*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Credential();
}
