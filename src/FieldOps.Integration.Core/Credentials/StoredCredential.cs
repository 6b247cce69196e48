namespace FieldOps.Integration.Core.Credentials;

/// <summary>
/// One connection's row in the token store. Token fields hold Data Protection ciphertext, never plain text.
/// <paramref name="ProtectedPreviousRefreshToken"/> is the refresh token the current one replaced (tried when the issuer
/// refuses the current one); <paramref name="RefreshStartedAt"/> is set while a refresh has begun and not ended — after
/// a crash or a lost answer it says when the issuer may have rotated the token without us seeing the new one.
/// </summary>
public sealed record StoredCredential(
    string Connection,
    string? ProtectedAccessToken,
    string? ProtectedRefreshToken,
    string? ProtectedProperties,
    DateTimeOffset? IssuedAt,
    DateTimeOffset? ExpiresAt,
    string? BrokenReason,
    string? ProtectedPreviousRefreshToken = null,
    DateTimeOffset? RefreshStartedAt = null)
{
    /// <summary>Keeps ciphertext out of logs too.</summary>
    public override string ToString() => $"StoredCredential({Connection}, issued {IssuedAt:O}, broken: {BrokenReason ?? "no"})";
}
