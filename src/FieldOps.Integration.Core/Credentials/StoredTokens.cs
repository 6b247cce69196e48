using System.Security.Cryptography;

namespace FieldOps.Integration.Core.Credentials;

/// <summary>
/// Teaches the <see cref="Secrets.SecretScrubber"/> every token the credentials store holds — access token, refresh
/// token, and the refresh token the current one replaced (or the one the issuer refused) — so a token stored or
/// rotated away by an earlier process is scrubbed by value in this one too, not only when its shape gives it away.
/// </summary>
public static class StoredTokens
{
    /// <summary>Decrypts every stored token once (the protector hands each to the scrubber); returns how many were learnt.</summary>
    public static async Task<int> TeachScrubberAsync(ITokenStore store, TokenProtector protector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(protector);
        var learnt = 0;
        foreach (var credential in await store.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var cipher in new[] { credential.ProtectedAccessToken, credential.ProtectedRefreshToken, credential.ProtectedPreviousRefreshToken })
            {
                if (cipher is null)
                    continue;
                try
                {
                    protector.Unprotect(cipher);
                    learnt++;
                }
                catch (CryptographicException)
                {
                    // Encrypted with a key this process does not have (a lost key ring): nobody can read it, nothing to scrub.
                }
            }
        }
        return learnt;
    }
}
