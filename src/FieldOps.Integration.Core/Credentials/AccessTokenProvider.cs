using System.Collections.Concurrent;
using FieldOps.Integration.Core.Secrets;
using FieldOps.Integration.Core.Storage;
using FieldOps.Integration.Core.Text;
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
internal sealed partial class AccessTokenProvider(
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
    private readonly ConcurrentDictionary<string, (StoredCredential Credential, AccessToken Token)> _unsaved = new(StringComparer.Ordinal);
    private readonly string _owner = LeaseOwner.New();

    public bool Knows(string connection) => services.GetKeyedService<ITokenEndpoint>(connection) is not null;

    public Task<AccessToken> GetAccessTokenAsync(string connection, CancellationToken cancellationToken)
    {
        // A refreshed token the store could not take yet is saved first (in EnsureAsync), before anything else.
        if (!_unsaved.ContainsKey(connection) && _cache.TryGetValue(connection, out var cached) && IsFresh(cached))
            return Task.FromResult(cached);
        return EnsureAsync(connection, IsFresh, cancellationToken);
    }

    public Task<AccessToken> RefreshAsync(string connection, DateTimeOffset attemptStartedAt, CancellationToken cancellationToken) =>
        EnsureAsync(connection, token => token.IssuedAt > attemptStartedAt && IsFresh(token), cancellationToken);

    /// <summary>
    /// Fresh until the skew before expiry; the skew is <see cref="CredentialsOptions.RefreshSkew"/> but at most
    /// <see cref="CredentialsOptions.RefreshSkewFraction"/> of the token's lifetime, so a short-lived token (60 s) is
    /// used for most of its life instead of being refreshed before every call.
    /// </summary>
    private bool IsFresh(AccessToken token)
    {
        if (token.ExpiresAt is not { } expires)
            return true;
        var skew = options.Value.RefreshSkew;
        if (token.IssuedAt > DateTimeOffset.MinValue && expires > token.IssuedAt)
            skew = TimeSpan.FromTicks(Math.Min(skew.Ticks, (long)((expires - token.IssuedAt).Ticks * options.Value.RefreshSkewFraction)));
        return expires - skew > time.GetUtcNow();
    }

    private async Task<AccessToken> EnsureAsync(string connection, Func<AccessToken, bool> acceptable, CancellationToken cancellationToken)
    {
        var endpoint = services.GetKeyedService<ITokenEndpoint>(connection)
            ?? throw new ConnectionBrokenException(connection, "no token endpoint is registered for this connection");
        var gate = _gates.GetOrAdd(connection, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await SaveUnsavedAsync(connection, cancellationToken).ConfigureAwait(false) is { } unsaved && acceptable(unsaved))
                return unsaved;
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
        var keepLease = false;
        try
        {
            // Re-read under the lease: another process may have refreshed between our read and our claim.
            var stored = await store.GetAsync(connection, cancellationToken).ConfigureAwait(false);
            if (Usable(stored, acceptable) is { } current)
                return current;
            // The newest saved refresh token first, then the one it replaced: a refresh whose answer was lost may have
            // left the issuer accepting only one of them.
            var candidates = RefreshCandidates(connection, stored, endpoint);
            ConnectionBrokenException? refused = null;
            foreach (var refreshToken in candidates)
            {
                await store.MarkRefreshStartedAsync(connection, _owner, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                TokenGrant grant;
                try
                {
                    grant = await endpoint.RequestTokenAsync(refreshToken, cancellationToken).ConfigureAwait(false);
                }
                catch (ConnectionBrokenException ex)
                {
                    refused ??= ex;
                    continue;
                }
                var now = time.GetUtcNow();
                var token = new AccessToken(grant.AccessToken, now, grant.ExpiresIn is { } life ? now + life : null, grant.Properties);
                var rotated = grant.RefreshToken is not null && !string.Equals(grant.RefreshToken, refreshToken, StringComparison.Ordinal);
                var credential = new StoredCredential(
                    connection, protector.Protect(grant.AccessToken), protector.Protect(grant.RefreshToken ?? refreshToken),
                    protector.ProtectProperties(grant.Properties), now, token.ExpiresAt, null,
                    rotated ? protector.Protect(refreshToken) : stored?.ProtectedPreviousRefreshToken);
                // Saved in this critical section, before anything uses it; if the store cannot take it now, it is kept
                // in memory (with the lease) and saved before any other use or refresh of this connection.
                keepLease = true;
                await SaveAsync(connection, credential, token, cancellationToken).ConfigureAwait(false);
                return token;
            }
            // The issuer's refusal may quote a NUL, which PostgreSQL's text cannot hold (22021): unescaped, the connection
            // was never recorded broken, and every use tried the refused token again.
            var reason = StorableText.Escape(BrokenReason(refused!, stored, candidates.Count));
            // The refused token kept is the configured one when it was among those tried, so it is not tried again; a
            // different configured token (the admin reconnecting) is.
            var refusedToken = candidates.Contains(endpoint.SeedRefreshToken) ? endpoint.SeedRefreshToken : candidates[0];
            await store.MarkBrokenAsync(connection, _owner, scrubber.Scrub(reason), protector.Protect(refusedToken), time.GetUtcNow(), CancellationToken.None)
                .ConfigureAwait(false);
            keepLease = true;
            _cache.TryRemove(connection, out _);
            if (status.MarkBroken(connection, reason))
                LogBroken(logger, connection, reason);
            throw new ConnectionBrokenException(connection, reason);
        }
        finally
        {
            if (!keepLease)
                await store.ReleaseLeaseAsync(connection, _owner, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task SaveAsync(string connection, StoredCredential credential, AccessToken token, CancellationToken cancellationToken)
    {
        bool saved;
        try
        {
            saved = await store.SaveRefreshedAsync(credential, _owner, token.IssuedAt, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (LoopFaults.IsTransient(ex))
        {
            _unsaved[connection] = (credential, token);
            LogSaveDeferred(logger, connection, ex.Message);
            throw;
        }
        _unsaved.TryRemove(connection, out _);
        if (!saved)
            throw new InvalidOperationException($"Connection '{connection}': the refresh lease expired before the new token was saved.");
        _cache[connection] = token;
        if (status.MarkWorking(connection))
            LogReconnected(logger, connection);
        LogRefreshed(logger, connection, token.ExpiresAt);
    }

    /// <summary>A refreshed token the store could not take when it came: saved now, before anything else happens.</summary>
    private async Task<AccessToken?> SaveUnsavedAsync(string connection, CancellationToken cancellationToken)
    {
        if (!_unsaved.TryGetValue(connection, out var unsaved))
            return null;
        try
        {
            await SaveAsync(connection, unsaved.Credential, unsaved.Token, cancellationToken).ConfigureAwait(false);
            return unsaved.Token;
        }
        catch (InvalidOperationException)
        {
            // Another process took the lease meanwhile and refreshed: its token is in the store.
            LogUnsavedDropped(logger, connection);
            return null;
        }
    }

    private List<string?> RefreshCandidates(string connection, StoredCredential? stored, ITokenEndpoint endpoint)
    {
        var newest = ChooseRefreshToken(connection, stored, endpoint);
        var candidates = new List<string?> { newest };
        if (stored?.BrokenReason is null && protector.Unprotect(stored?.ProtectedPreviousRefreshToken) is { } previous
            && !string.Equals(previous, newest, StringComparison.Ordinal))
        {
            candidates.Add(previous);
        }
        return candidates;
    }

    private static string BrokenReason(ConnectionBrokenException refused, StoredCredential? stored, int tried)
    {
        var reason = refused.Reason;
        if (tried > 1)
            reason += "; the previous refresh token was refused too";
        if (stored?.RefreshStartedAt is { } started)
        {
            reason += $"; a token refresh begun at {started.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z got no answer (the process stopped or the answer was lost), " +
                      "so the refresh token the issuer rotated to then was never received: reconnect the connection";
        }
        return reason;
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Connection {Connection}: the refreshed token could not be saved ({Detail}); it is kept in memory and saved before any other use")]
    private static partial void LogSaveDeferred(ILogger logger, string connection, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection {Connection}: another process refreshed before the token kept in memory could be saved; the stored one is used")]
    private static partial void LogUnsavedDropped(ILogger logger, string connection);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connection {Connection} works again")]
    private static partial void LogReconnected(ILogger logger, string connection);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Refreshed the token of {Connection}, expires {ExpiresAt}")]
    private static partial void LogRefreshed(ILogger logger, string connection, DateTimeOffset? expiresAt);
}
