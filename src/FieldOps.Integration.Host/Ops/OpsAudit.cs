using FieldOps.Integration.Core.Operations;
using static FieldOps.Integration.Host.Ops.OpsHtml;

namespace FieldOps.Integration.Host.Ops;

/// <summary>Writes each confirmed action to the audit log (who, when, what) and shows the log at <c>/ops/audit</c>.</summary>
internal static class OpsAudit
{
    private const int PageSize = 100;

    /// <summary>The logged-in operator as the audit log names them: login name and address.</summary>
    public static string Actor(HttpContext context) => $"{context.User.Identity?.Name ?? "?"} ({context.Connection.RemoteIpAddress})";

    /// <summary>Records the action of the logged-in operator and answers with the page saying how it ended.</summary>
    public static async Task<IResult> DoneAsync(
        HttpContext context, IAuditLog log, TimeProvider time, string action, string target, string detail, string backLink, bool ok = true)
    {
        await log.AppendAsync(new AuditEntry(0, time.GetUtcNow(), Actor(context), action, target, detail), context.RequestAborted).ConfigureAwait(false);
        return Done(context, detail, backLink, ok);
    }

    /// <summary>The page saying how an action ended that wrote its audit entry in its own transaction.</summary>
    public static IResult Done(HttpContext context, string detail, string backLink, bool ok = true) =>
        Page(context, ok ? "Done" : "Nothing done",
            $"<p role=\"status\" class=\"{(ok ? "ok" : "err")}\">{E(detail)}</p><p>Recorded in the <a href=\"/ops/audit\">audit log</a>.</p>{backLink}",
            status: ok ? StatusCodes.Status200OK : StatusCodes.Status409Conflict);

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
