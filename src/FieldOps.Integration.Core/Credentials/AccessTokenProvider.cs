using System.Collections.Concurrent;
using FieldOps.Integration.Core.Secrets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Core.Credentials;

/// <summary>
/// Tokens for named connections, refreshed through the connection's keyed <see cref="ITokenEndpoint"/>. One refresh
/// is in flight per connection: a semaphore within the process, and the store's refresh lease across processes (the
/// loser waits and re-reads the winner's token). A rotated refresh token is written with the access token in one
/// statement before either is handed out; the configured refresh token only seeds an empty store.
/// </summary>
public sealed partial class AccessTokenProvider(
    IServiceProvider services,
    ITokenStore store,
    TokenProtector protector,
    ConnectionStatus status,
    IOptions<CredentialsOptions> options,
    TimeProvider time,
    SecretScrubber scrubber,
    ILogger<AccessTokenProvider> logger) : IAccessTokenProvider
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AccessToken> _cache = new(StringComparer.Ordinal);
    private readonly string _owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    public bool Knows(string connection) => services.GetKeyedService<ITokenEndpoint>(connection) is not null;

    public Task<AccessToken> GetAccessTokenAsync(string connection, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(connection, out var cached) && IsFresh(cached))
            return Task.FromResult(cached);
        return EnsureAsync(connection, IsFresh, cancellationToken);
    }

    public Task<AccessToken> RefreshAsync(string connection, DateTimeOffset attemptStartedAt, CancellationToken cancellationToken) =>
        EnsureAsync(connection, token => token.IssuedAt > attemptStartedAt && IsFresh(token), cancellationToken);

    private bool IsFresh(AccessToken token) =>
        token.ExpiresAt is not { } expires || expires - options.Value.RefreshSkew > time.GetUtcNow();

    private async Task<AccessToken> EnsureAsync(string connection, Func<AccessToken, bool> acceptable, CancellationToken cancellationToken)
    {
        var endpoint = services.GetKeyedService<ITokenEndpoint>(connection)
            ?? throw new ConnectionBrokenException(connection, "no token endpoint is registered for this connection");
        var gate = _gates.GetOrAdd(connection, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var deadline = time.GetUtcNow() + options.Value.RefreshWaitLimit;
            while (true)
            {
                var stored = await store.GetAsync(connection, cancellationToken).ConfigureAwait(false);
                if (Usable(stored, acceptable) is { } current)
                    return current;
                if (stored?.BrokenReason is { } reason && !HasNewSeed(stored, endpoint))
                {
                    status.MarkBroken(connection, reason);
                    throw new ConnectionBrokenException(connection, reason);
                }
                if (await store.TryAcquireRefreshLeaseAsync(connection, _owner, time.GetUtcNow(), options.Value.RefreshLease, cancellationToken)
                        .ConfigureAwait(false))
                {
                    return await RefreshUnderLeaseAsync(connection, endpoint, acceptable, cancellationToken).ConfigureAwait(false);
                }
                if (time.GetUtcNow() > deadline)
                    throw new TimeoutException($"Connection '{connection}': another process held the token refresh for longer than {options.Value.RefreshWaitLimit}.");
                await Task.Delay(options.Value.RefreshPollInterval, time, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private AccessToken? Usable(StoredCredential? stored, Func<AccessToken, bool> acceptable)
    {
        if (stored?.ProtectedAccessToken is null || stored.BrokenReason is not null)
            return null;
        var token = new AccessToken(
            protector.Unprotect(stored.ProtectedAccessToken)!, stored.IssuedAt ?? DateTimeOffset.MinValue, stored.ExpiresAt,
            protector.UnprotectProperties(stored.ProtectedProperties));
        if (!acceptable(token))
            return null;
        _cache[stored.Connection] = token;
        return token;
    }

    private async Task<AccessToken> RefreshUnderLeaseAsync(
        string connection, ITokenEndpoint endpoint, Func<AccessToken, bool> acceptable, CancellationToken cancellationToken)
    {
        var saved = false;
        try
        {
            // Re-read under the lease: another process may have refreshed between our read and our claim.
            var stored = await store.GetAsync(connection, cancellationToken).ConfigureAwait(false);
            if (Usable(stored, acceptable) is { } current)
                return current;
            var refreshToken = ChooseRefreshToken(connection, stored, endpoint);
            TokenGrant grant;
            try
            {
                grant = await endpoint.RequestTokenAsync(refreshToken, cancellationToken).ConfigureAwait(false);
            }
            catch (ConnectionBrokenException ex)
            {
                await store.MarkBrokenAsync(connection, _owner, scrubber.Scrub(ex.Reason), protector.Protect(refreshToken), time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
                saved = true;
                _cache.TryRemove(connection, out _);
                if (status.MarkBroken(connection, ex.Reason))
                    LogBroken(logger, connection, ex.Reason);
                throw;
            }
            var now = time.GetUtcNow();
            var token = new AccessToken(grant.AccessToken, now, grant.ExpiresIn is { } life ? now + life : null, grant.Properties);
            var credential = new StoredCredential(
                connection, protector.Protect(grant.AccessToken), protector.Protect(grant.RefreshToken ?? refreshToken),
                protector.ProtectProperties(grant.Properties), now, token.ExpiresAt, null);
            saved = await store.SaveRefreshedAsync(credential, _owner, now, cancellationToken).ConfigureAwait(false);
            if (!saved)
                throw new InvalidOperationException($"Connection '{connection}': the refresh lease expired before the new token was saved.");
            _cache[connection] = token;
            if (status.MarkWorking(connection))
                LogReconnected(logger, connection);
            LogRefreshed(logger, connection, token.ExpiresAt);
            return token;
        }
        finally
        {
            if (!saved)
                await store.ReleaseLeaseAsync(connection, _owner, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private string? ChooseRefreshToken(string connection, StoredCredential? stored, ITokenEndpoint endpoint)
    {
        if (stored?.BrokenReason is { } reason)
        {
            // A broken grant is only worth retrying with a refresh token the admin configured since it broke.
            if (!HasNewSeed(stored, endpoint))
            {
                status.MarkBroken(connection, reason);
                throw new ConnectionBrokenException(connection, reason);
            }
            return endpoint.SeedRefreshToken;
        }
        // The configured token only seeds an empty store; after that the stored (rotated) one is the truth.
        return protector.Unprotect(stored?.ProtectedRefreshToken) ?? endpoint.SeedRefreshToken;
    }

    private bool HasNewSeed(StoredCredential stored, ITokenEndpoint endpoint) =>
        endpoint.SeedRefreshToken is { } seed && !string.Equals(seed, protector.Unprotect(stored.ProtectedRefreshToken), StringComparison.Ordinal);

    [LoggerMessage(Level = LogLevel.Error, Message = "Connection {Connection} is broken ({Reason}): its operations stay queued until an admin reconnects it")]
    private static partial void LogBroken(ILogger logger, string connection, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connection {Connection} works again")]
    private static partial void LogReconnected(ILogger logger, string connection);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Refreshed the token of {Connection}, expires {ExpiresAt}")]
    private static partial void LogRefreshed(ILogger logger, string connection, DateTimeOffset? expiresAt);
}
