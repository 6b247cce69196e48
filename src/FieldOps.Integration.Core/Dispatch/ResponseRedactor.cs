using System.Text.RegularExpressions;

namespace FieldOps.Integration.Core.Dispatch;

/// <summary>Bounds a response excerpt and blanks anything that looks like a secret before it is stored.</summary>
public static partial class ResponseRedactor
{
    /// <summary>The longest excerpt kept.</summary>
    public const int MaxLength = 2048;

    /// <summary>Returns <paramref name="text"/> cut to <see cref="MaxLength"/> with token, password and key values replaced.</summary>
    public static string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return text;
        var cut = text.Length > MaxLength ? text[..MaxLength] + "…" : text;
        cut = SecretJsonValue().Replace(cut, m => $"{m.Groups[1].Value}\"***\"");
        return BearerValue().Replace(cut, "$1***");
    }

    [GeneratedRegex("(\"[A-Za-z_\\-]*(?:token|secret|password|apikey|api_key|authorization|client_secret)[A-Za-z_\\-]*\"\\s*:\\s*)\"[^\"]*\"", RegexOptions.IgnoreCase)]
    private static partial Regex SecretJsonValue();

    [GeneratedRegex("((?:Bearer|Basic)\\s+)[A-Za-z0-9\\-._~+/=]+", RegexOptions.IgnoreCase)]
    private static partial Regex BearerValue();
}
