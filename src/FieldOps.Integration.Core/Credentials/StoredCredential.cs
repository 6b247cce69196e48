namespace FieldOps.Integration.Core.Credentials;

/// <summary>One connection's row in the token store. Token fields hold Data Protection ciphertext, never plain text.</summary>
public sealed record StoredCredential(
    string Connection,
    string? ProtectedAccessToken,
    string? ProtectedRefreshToken,
    string? ProtectedProperties,
    DateTimeOffset? IssuedAt,
    DateTimeOffset? ExpiresAt,
    string? BrokenReason)
{
    /// <summary>Keeps ciphertext out of logs too.</summary>
    public override string ToString() => $"StoredCredential({Connection}, issued {IssuedAt:O}, broken: {BrokenReason ?? "no"})";
}
