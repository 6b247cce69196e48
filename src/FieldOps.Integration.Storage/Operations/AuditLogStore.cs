using Dapper;
using FieldOps.Integration.Core.Operations;

namespace FieldOps.Integration.Storage.Operations;

/// <summary>The audit log in the <c>audit_log</c> table.</summary>
public sealed class AuditLogStore(IStoreConnections connections) : IAuditLog
{
    /// <summary>The insert, also run inside an action's own transaction (<see cref="ActionAudit"/>).</summary>
    internal const string Insert = "INSERT INTO audit_log (at, actor, action, target, detail) VALUES (@At, @Actor, @Action, @Target, @Detail)";

    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            Insert,
            new { At = entry.At.ToUnixTimeMilliseconds(), entry.Actor, entry.Action, entry.Target, entry.Detail },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<AuditEntry>> ListAsync(int limit, long? beforeId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<AuditRow>(new CommandDefinition(
            "SELECT id, at, actor, action, target, detail FROM audit_log WHERE id < @Before ORDER BY id DESC " + connections.Dialect.Limit("@Limit"),
            new { Before = beforeId ?? long.MaxValue, Limit = limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new AuditEntry(r.id, DateTimeOffset.FromUnixTimeMilliseconds(r.at), r.actor, r.action, r.target, r.detail)).ToList();
    }

}

// A class with setters, as the other row shapes: Dapper then converts the providers' integer widths.
[System.Diagnostics.CodeAnalysis.SuppressMessage("Style", "IDE1006:Naming Styles", Justification = "Columns keep their schema names.")]
internal sealed class AuditRow
{
    public long id { get; set; }
    public long at { get; set; }
    public string actor { get; set; } = "";
    public string action { get; set; } = "";
    public string target { get; set; } = "";
    public string? detail { get; set; }
}
