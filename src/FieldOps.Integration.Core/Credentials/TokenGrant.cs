namespace FieldOps.Integration.Core.Credentials;

/// <summary>What a token endpoint answered: a new access token and, where the issuer rotates them, a new refresh token.</summary>
/// <param name="AccessToken">The new access token.</param>
/// <param name="RefreshToken">The refresh token to use next time; null when the issuer did not send one (keep the old one).</param>
/// <param name="ExpiresIn">The access token's lifetime, if given.</param>
/// <param name="Properties">Other values of the response worth keeping (<c>instance_url</c>, …).</param>
public sealed record TokenGrant(string AccessToken, string? RefreshToken, TimeSpan? ExpiresIn, IReadOnlyDictionary<string, string> Properties)
{
    /// <summary>Redacts the tokens.</summary>
    public override string ToString() => $"TokenGrant(expires in {ExpiresIn})";
}
