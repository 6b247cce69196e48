using System.Diagnostics.CodeAnalysis;
using Dapper;
using FieldOps.Integration.Core.Credentials;

namespace FieldOps.Integration.Storage.Credentials;

/// <summary>
/// The <c>credential</c> table: ciphertext tokens and a refresh lease per connection, claimed with one atomic
/// <c>UPDATE … WHERE lease expired</c> (the same SQL in every provider).
/// </summary>
public sealed class TokenStore(IStoreConnections connections) : ITokenStore
{
    private readonly string _ensure = connections.Dialect.InsertIfAbsent("credential", ["connection", "updated_at"], ["@connection", "@nowMs"], ["connection"]);

    private const string SelectCredential =
        "SELECT connection, access_token, refresh_token, properties, issued_at, expires_at, broken_reason, previous_refresh_token, refresh_started_at FROM credential";

    public async Task<StoredCredential?> GetAsync(string connection, CancellationToken cancellationToken)
    {
        await using var db = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await db.QuerySingleOrDefaultAsync<CredentialRow>(new CommandDefinition(
            SelectCredential + " WHERE connection = @connection",
            new { connection }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return ToCredential(row);
    }

    public async Task<IReadOnlyList<StoredCredential>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.QueryAsync<CredentialRow>(new CommandDefinition(SelectCredential, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(ToCredential).OfType<StoredCredential>().ToList();
    }

    private static StoredCredential? ToCredential(CredentialRow? row) =>
        row is null || (row.access_token is null && row.refresh_token is null && row.broken_reason is null && row.refresh_started_at is null)
            ? null
            : new StoredCredential(row.connection, row.access_token, row.refresh_token, row.properties, FromMs(row.issued_at), FromMs(row.expires_at),
                row.broken_reason, row.previous_refresh_token, FromMs(row.refresh_started_at));

    public async Task<bool> TryAcquireRefreshLeaseAsync(
        string connection, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        await using var db = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await db.ExecuteAsync(new CommandDefinition(
            _ensure,
            new { connection, nowMs }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var claimed = await db.ExecuteAsync(new CommandDefinition(
            "UPDATE credential SET lease_owner = @owner, lease_until = @until " +
            "WHERE connection = @connection AND (lease_until IS NULL OR lease_until < @nowMs)",
            new { connection, owner, until = nowMs + (long)lease.TotalMilliseconds, nowMs }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (claimed == 1)
            return true;
        // A lease whose owner provably died (a process of this host that no longer runs) is taken over at once rather
        // than after it runs out. The update names the dead owner, so of several live processes only one takes it.
        var holder = await db.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT lease_owner FROM credential WHERE connection = @connection", new { connection }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (!LeaseOwner.IsDeadOnThisHost(holder))
            return false;
        return await db.ExecuteAsync(new CommandDefinition(
            "UPDATE credential SET lease_owner = @owner, lease_until = @until WHERE connection = @connection AND lease_owner = @holder",
            new { connection, owner, holder, until = nowMs + (long)lease.TotalMilliseconds }, cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
    }

    public async Task MarkRefreshStartedAsync(string connection, string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await db.ExecuteAsync(new CommandDefinition(
            "UPDATE credential SET refresh_started_at = @nowMs WHERE connection = @connection AND lease_owner = @owner",
            new { connection, owner, nowMs = now.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<bool> SaveRefreshedAsync(StoredCredential credential, string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credential);
        await using var db = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        // Access and (rotated) refresh token in one statement: a crash leaves either both old or both new.
        var saved = await db.ExecuteAsync(new CommandDefinition(
            "UPDATE credential SET access_token = @ProtectedAccessToken, refresh_token = @ProtectedRefreshToken, properties = @ProtectedProperties, " +
            "previous_refresh_token = @ProtectedPreviousRefreshToken, issued_at = @IssuedAt, expires_at = @ExpiresAt, broken_reason = NULL, " +
            "refresh_started_at = NULL, lease_owner = NULL, lease_until = NULL, updated_at = @Now " +
            "WHERE connection = @Connection AND lease_owner = @Owner",
            new
            {
                credential.Connection,
                credential.ProtectedAccessToken,
                credential.ProtectedRefreshToken,
                credential.ProtectedProperties,
                credential.ProtectedPreviousRefreshToken,
                IssuedAt = credential.IssuedAt?.ToUnixTimeMilliseconds(),
                ExpiresAt = credential.ExpiresAt?.ToUnixTimeMilliseconds(),
                Now = now.ToUnixTimeMilliseconds(),
                Owner = owner,
            }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return saved == 1;
    }

    public async Task MarkBrokenAsync(
        string connection, string owner, string reason, string? protectedRefusedRefreshToken, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await db.ExecuteAsync(new CommandDefinition(
            "UPDATE credential SET broken_reason = @reason, refresh_token = @protectedRefusedRefreshToken, access_token = NULL, lease_owner = NULL, lease_until = NULL, updated_at = @nowMs " +
            "WHERE connection = @connection",
            new { connection, reason, protectedRefusedRefreshToken, nowMs = now.ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task ReleaseLeaseAsync(string connection, string owner, CancellationToken cancellationToken)
    {
        await using var db = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await db.ExecuteAsync(new CommandDefinition(
            "UPDATE credential SET lease_owner = NULL, lease_until = NULL WHERE connection = @connection AND lease_owner = @owner",
            new { connection, owner }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyDictionary<string, string>> ListBrokenAsync(CancellationToken cancellationToken)
    {
        await using var db = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.QueryAsync<(string Connection, string Reason)>(new CommandDefinition(
            "SELECT connection, broken_reason FROM credential WHERE broken_reason IS NOT NULL", cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Connection, r => r.Reason, StringComparer.Ordinal);
    }

    private static DateTimeOffset? FromMs(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;

    [SuppressMessage("Style", "IDE1006:Naming Styles", Justification = "Columns keep their schema names.")]
    private sealed class CredentialRow
    {
        public string connection { get; set; } = "";
        public string? access_token { get; set; }
        public string? refresh_token { get; set; }
        public string? properties { get; set; }
        public long? issued_at { get; set; }
        public long? expires_at { get; set; }
        public string? broken_reason { get; set; }
        public string? previous_refresh_token { get; set; }
        public long? refresh_started_at { get; set; }
    }
}
