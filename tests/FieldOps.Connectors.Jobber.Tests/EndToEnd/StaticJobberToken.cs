using FieldOps.Integration.Core.Credentials;

namespace FieldOps.Connectors.Jobber.Tests.EndToEnd;

/// <summary>The Jobber source's token endpoint for the end-to-end pipelines: one access token, a rotated refresh token.</summary>
internal sealed class StaticJobberToken : ITokenEndpoint
{
    public string? SeedRefreshToken => "seed-refresh-token";

    public Task<TokenGrant> RequestTokenAsync(string? refreshToken, CancellationToken cancellationToken) =>
        Task.FromResult(new TokenGrant("jobber-access-token", "rotated-refresh-token", TimeSpan.FromHours(1), new Dictionary<string, string>()));
}
