namespace FieldOps.Integration.Core.Credentials;

/// <summary>
/// Hands out access tokens for named connections (<c>quickbooks:default</c> — connector name, a colon, the
/// operation's connection), refreshing them through the connection's <see cref="ITokenEndpoint"/>: one refresh in
/// flight per connection, across threads and across processes sharing one database.
/// </summary>
public interface IAccessTokenProvider
{
    /// <summary>True when a token endpoint is registered for <paramref name="connection"/>.</summary>
    bool Knows(string connection);

    /// <summary>A token that is valid now, refreshing first when it expires within the skew.</summary>
    Task<AccessToken> GetAccessTokenAsync(string connection, CancellationToken cancellationToken);

    /// <summary>
    /// The target rejected the token used by an attempt that started at <paramref name="attemptStartedAt"/>: refresh,
    /// unless a token was already issued after that moment (another caller refreshed), and return the newer token.
    /// Throws <see cref="ConnectionBrokenException"/> when the connection cannot be refreshed.
    /// </summary>
    Task<AccessToken> RefreshAsync(string connection, DateTimeOffset attemptStartedAt, CancellationToken cancellationToken);
}
