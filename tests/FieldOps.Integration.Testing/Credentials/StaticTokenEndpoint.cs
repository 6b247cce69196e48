using FieldOps.Integration.Core.Credentials;

namespace FieldOps.Integration.Testing.Credentials;

/// <summary>Jobber's token endpoint for the pipeline tests: always grants one access token (registered as <c>jobber:jobber</c>).</summary>
public sealed class StaticTokenEndpoint : ITokenEndpoint
{
    public string? SeedRefreshToken => "seed-refresh-token";

    public Task<TokenGrant> RequestTokenAsync(string? refreshToken, CancellationToken cancellationToken) =>
        Task.FromResult(new TokenGrant("jobber-access-token", "rotated-refresh-token", TimeSpan.FromHours(1), new Dictionary<string, string>()));
}
