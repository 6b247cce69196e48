namespace FieldOps.Integration.Core.Credentials;

/// <summary>
/// One vendor's token call, implemented by each connector or source that uses OAuth (refresh-token grant, client
/// credentials, JWT bearer). Registered as a keyed service under the connection name (e.g. <c>quickbooks:default</c>).
/// The credentials store calls it — one refresh in flight per connection — and persists what it returns.
/// </summary>
public interface ITokenEndpoint
{
    /// <summary>A refresh token from configuration, used only to seed an empty store. Null when the grant needs none.</summary>
    string? SeedRefreshToken { get; }

    /// <summary>
    /// Asks the issuer for a new access token, passing the current refresh token (null for grants without one).
    /// Throws <see cref="ConnectionBrokenException"/> when the issuer answers <c>invalid_grant</c> or <c>invalid_client</c>.
    /// </summary>
    Task<TokenGrant> RequestTokenAsync(string? refreshToken, CancellationToken cancellationToken);
}
