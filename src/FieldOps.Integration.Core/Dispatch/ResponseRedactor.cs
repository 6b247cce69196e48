using FieldOps.Integration.Core.Secrets;
using FieldOps.Integration.Core.Text;

namespace FieldOps.Integration.Core.Dispatch;

/// <summary>Bounds a response excerpt and blanks anything shaped like a secret before it is stored.</summary>
public static class ResponseRedactor
{
    /// <summary>The longest excerpt kept.</summary>
    public const int MaxLength = 2048;

    /// <summary>Returns <paramref name="text"/> cut to <see cref="MaxLength"/> with token, password and key values replaced.</summary>
    public static string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return text;
        return SecretPatterns.Scrub(TextCut.Excerpt(text, MaxLength));
    }
}
