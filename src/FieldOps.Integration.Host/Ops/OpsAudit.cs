using FieldOps.Integration.Core.Operations;
using static FieldOps.Integration.Host.Ops.OpsHtml;

namespace FieldOps.Integration.Host.Ops;

/// <summary>Writes each confirmed action to the audit log (who, when, what) and shows the log at <c>/ops/audit</c>.</summary>
internal static class OpsAudit
{
    private const int PageSize = 100;

    /// <summary>Records the action of the logged-in operator and answers with the page saying how it ended.</summary>
    public static async Task<IResult> DoneAsync(
        HttpContext context, IAuditLog log, TimeProvider time, string action, string target, string detail, string backLink, bool ok = true)
    {
        var actor = $"{context.User.Identity?.Name ?? "?"} ({context.Connection.RemoteIpAddress})";
        await log.AppendAsync(new AuditEntry(0, time.GetUtcNow(), actor, action, target, detail), context.RequestAborted).ConfigureAwait(false);
        return Page(context, ok ? "Done" : "Nothing done",
            $"<p role=\"status\" class=\"{(ok ? "ok" : "err")}\">{E(detail)}</p><p>Recorded in the <a href=\"/ops/audit\">audit log</a>.</p>{backLink}",
            status: ok ? StatusCodes.Status200OK : StatusCodes.Status409Conflict);
    }

    public static async Task<IResult> RenderAsync(HttpContext context, long? before, IAuditLog log, CancellationToken cancellationToken)
    {
        var entries = await log.ListAsync(PageSize, before, cancellationToken).ConfigureAwait(false);
        var body = Table("Confirmed actions, newest first", ["when", "who", "what", "on", "outcome"],
            entries.Select(a => new[] { Time(a.At), E(a.Actor), E(a.Action), E(a.Target), E(a.Detail) }), "No action yet.");
        if (entries.Count == PageSize)
            body += $"<p><a href=\"/ops/audit?before={entries[^1].Id}\">Older entries</a></p>";
        return Page(context, "Audit log", body);
    }
}
