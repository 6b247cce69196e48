namespace FieldOps.Integration.Core.Credentials;

/// <summary>
/// Where tokens live (ciphertext only), with a refresh lease per connection so that one refresh is in flight at a
/// time across every process on the database.
/// </summary>
public interface ITokenStore
{
    /// <summary>The connection's row, or null when the store has none.</summary>
    Task<StoredCredential?> GetAsync(string connection, CancellationToken cancellationToken);

    /// <summary>
    /// Claims the connection's refresh lease for <paramref name="owner"/> with one atomic update that succeeds only
    /// when no unexpired lease is held, or when the holder provably died (<see cref="LeaseOwner.IsDeadOnThisHost"/>: a
    /// process of this host that no longer runs); creates the row first when the store is empty. True when the lease is ours.
    /// </summary>
    Task<bool> TryAcquireRefreshLeaseAsync(string connection, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>
    /// Records, under <paramref name="owner"/>'s lease, that a refresh call is about to be made: until it is saved, a
    /// crash or a lost answer leaves this mark, so a later refusal can say that the issuer may have rotated the token.
    /// </summary>
    Task MarkRefreshStartedAsync(string connection, string owner, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a refreshed credential (access, refresh and previous refresh token together, in one statement) and releases
    /// the lease, if <paramref name="owner"/> still holds it. Clears the broken and refresh-started marks. True when written.
    /// </summary>
    Task<bool> SaveRefreshedAsync(StoredCredential credential, string owner, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the connection broken with the issuer's reason, keeps the refresh token the issuer refused (so it is not
    /// tried again; a different configured one is) and releases the lease.
    /// </summary>
    Task MarkBrokenAsync(string connection, string owner, string reason, string? protectedRefusedRefreshToken, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Releases the lease if <paramref name="owner"/> holds it.</summary>
    Task ReleaseLeaseAsync(string connection, string owner, CancellationToken cancellationToken);

    /// <summary>Every connection's row (ciphertext tokens), for the scrubber to learn the tokens at start.</summary>
    Task<IReadOnlyList<StoredCredential>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Every broken connection and its reason.</summary>
    Task<IReadOnlyDictionary<string, string>> ListBrokenAsync(CancellationToken cancellationToken);
}
