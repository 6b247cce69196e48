using System.Text.Json;
using FieldOps.Integration.Core.Secrets;

namespace FieldOps.Integration.Core.Credentials;

/// <summary>
/// Encrypts tokens before they reach the store and decrypts them after (the store's <see cref="ITokenCipher"/>). Every token
/// that passes either way is handed to the <see cref="SecretScrubber"/>, so no text leaving the process shows it.
/// </summary>
public sealed class TokenProtector(ITokenCipher cipher, SecretScrubber scrubber)
{
    public string? Protect(string? plain)
    {
        if (plain is null)
            return null;
        scrubber.Add(plain);
        return cipher.Encrypt(plain);
    }

    public string? Unprotect(string? text)
    {
        if (text is null)
            return null;
        var plain = cipher.Decrypt(text);
        scrubber.Add(plain);
        return plain;
    }

    public string ProtectProperties(IReadOnlyDictionary<string, string> properties) =>
        cipher.Encrypt(JsonSerializer.Serialize(properties));

    public IReadOnlyDictionary<string, string> UnprotectProperties(string? text) =>
        text is null
            ? new Dictionary<string, string>()
            : JsonSerializer.Deserialize<Dictionary<string, string>>(cipher.Decrypt(text)) ?? [];
}
