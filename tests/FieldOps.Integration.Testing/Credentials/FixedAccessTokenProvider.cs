using FieldOps.Integration.Core.Credentials;

namespace FieldOps.Integration.Testing.Credentials;

/// <summary>Hands out one fixed token: stands in for the credentials store in tests of the connector's calls.</summary>
public sealed class FixedAccessTokenProvider : IAccessTokenProvider
{
    public const string Token = "test-access-token";

    public bool Knows(string connection) => true;

    public Task<AccessToken> GetAccessTokenAsync(string connection, CancellationToken cancellationToken) =>
        Task.FromResult(new AccessToken(Token, DateTimeOffset.UnixEpoch, null, new Dictionary<string, string>()));

    public Task<AccessToken> RefreshAsync(string connection, DateTimeOffset attemptStartedAt, CancellationToken cancellationToken) =>
        GetAccessTokenAsync(connection, cancellationToken);
}
