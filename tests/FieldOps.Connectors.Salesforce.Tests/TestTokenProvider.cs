using FieldOps.Integration.Core.Credentials;
using Microsoft.Extensions.DependencyInjection;

namespace FieldOps.Connectors.Salesforce.Tests;

/// <summary>
/// A small real <see cref="IAccessTokenProvider"/> over the keyed <see cref="ITokenEndpoint"/>: it calls the token
/// endpoint (a WireMock server here) and keeps the token in memory. Counts mints so tests can see re-mints.
/// </summary>
internal sealed class TestTokenProvider(IServiceProvider services, TimeProvider time) : IAccessTokenProvider, IDisposable
{
    private readonly Dictionary<string, AccessToken> _tokens = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    public int Mints { get; private set; }

    public void Dispose() => _gate.Dispose();

    public bool Knows(string connection) => services.GetKeyedService<ITokenEndpoint>(connection) is not null;

    public async Task<AccessToken> GetAccessTokenAsync(string connection, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return _tokens.TryGetValue(connection, out var token) ? token : await MintAsync(connection, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<AccessToken> RefreshAsync(string connection, DateTimeOffset attemptStartedAt, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return _tokens.TryGetValue(connection, out var token) && token.IssuedAt > attemptStartedAt ? token : await MintAsync(connection, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<AccessToken> MintAsync(string connection, CancellationToken cancellationToken)
    {
        var grant = await services.GetRequiredKeyedService<ITokenEndpoint>(connection).RequestTokenAsync(null, cancellationToken);
        Mints++;
        var now = time.GetUtcNow();
        var token = new AccessToken(grant.AccessToken, now, grant.ExpiresIn is { } e ? now + e : null, grant.Properties);
        _tokens[connection] = token;
        return token;
    }
}
