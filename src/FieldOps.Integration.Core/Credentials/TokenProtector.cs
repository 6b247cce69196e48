using System.Text.Json;
using FieldOps.Integration.Core.Secrets;
using Microsoft.AspNetCore.DataProtection;

namespace FieldOps.Integration.Core.Credentials;

/// <summary>
/// Encrypts tokens before they reach the store and decrypts them after (ASP.NET Core Data Protection). Every token
/// that passes either way is handed to the <see cref="SecretScrubber"/>, so no text leaving the process shows it.
/// </summary>
public sealed class TokenProtector(IDataProtectionProvider provider, SecretScrubber scrubber)
{
    private readonly IDataProtector _protector = provider.CreateProtector("FieldOps.Integration.Credentials.v1");

    public string? Protect(string? plain)
    {
        if (plain is null)
            return null;
        scrubber.Add(plain);
        return _protector.Protect(plain);
    }

    public string? Unprotect(string? cipher)
    {
        if (cipher is null)
            return null;
        var plain = _protector.Unprotect(cipher);
        scrubber.Add(plain);
        return plain;
    }

    public string ProtectProperties(IReadOnlyDictionary<string, string> properties) =>
        _protector.Protect(JsonSerializer.Serialize(properties));

    public IReadOnlyDictionary<string, string> UnprotectProperties(string? cipher) =>
        cipher is null
            ? new Dictionary<string, string>()
            : JsonSerializer.Deserialize<Dictionary<string, string>>(_protector.Unprotect(cipher)) ?? [];
}
