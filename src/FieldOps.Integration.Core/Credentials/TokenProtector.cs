using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace FieldOps.Integration.Core.Credentials;

/// <summary>Encrypts tokens before they reach the store and decrypts them after (ASP.NET Core Data Protection).</summary>
public sealed class TokenProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("FieldOps.Integration.Credentials.v1");

    public string? Protect(string? plain) => plain is null ? null : _protector.Protect(plain);

    public string? Unprotect(string? cipher) => cipher is null ? null : _protector.Unprotect(cipher);

    public string ProtectProperties(IReadOnlyDictionary<string, string> properties) =>
        _protector.Protect(JsonSerializer.Serialize(properties));

    public IReadOnlyDictionary<string, string> UnprotectProperties(string? cipher) =>
        cipher is null
            ? new Dictionary<string, string>()
            : JsonSerializer.Deserialize<Dictionary<string, string>>(_protector.Unprotect(cipher)) ?? [];
}
