using System.Text;
using FieldOps.Integration.Core.Operations;
using FieldOps.Integration.Host.Admin;
using Microsoft.AspNetCore.Mvc;
using static FieldOps.Integration.Host.Ops.OpsHtml;

namespace FieldOps.Integration.Host.Ops;

/// <summary>
/// Replay one dead letter or a group, discard one with a reason: each a confirmation page (GET) and the action (POST,
/// anti-forgery checked), through <see cref="DeadLetterService"/>, recorded in the audit log.
/// </summary>
internal static class OpsDeadLetterActions
{
    public static RouteGroupBuilder MapDeadLetterActions(this RouteGroupBuilder ops)
    {
        ops.MapGet("/deadletters/replay", ConfirmGroupAsync);
        ops.MapPost("/deadletters/replay", ReplayGroupAsync);
        ops.MapGet("/deadletters/{id}/replay", ConfirmReplayAsync);
        ops.MapPost("/deadletters/{id}/replay", ReplayAsync);
        ops.MapGet("/deadletters/{id}/discard", ConfirmDiscardAsync);
        ops.MapPost("/deadletters/{id}/discard", DiscardAsync);
        return ops;
    }

    private static async Task<IResult> ConfirmGroupAsync(HttpContext context, DeadLetterService service, CancellationToken cancellationToken)
    {
        var filter = AdminQuery.Filter(k => context.Request.Query[k].ToString()).Filter;
        if (filter is null || filter.IsEmpty)
            return Page(context, "Replay a group", "<p class=\"err\" role=\"alert\">Choose a group on the overview first.</p>", status: StatusCodes.Status400BadRequest);
        var count = (await service.GroupAsync(filter, cancellationToken).ConfigureAwait(false)).Sum(g => g.Count);
        var body = new StringBuilder()
            .Append("<p>Put <strong>").Append(Math.Min(count, DeadLetterService.DefaultBulkLimit)).Append("</strong> dead letters (")
            .Append(E(DeadLetterService.Describe(filter))).Append(") back in the queue, oldest first")
            .Append(count > DeadLetterService.DefaultBulkLimit ? $" (the first {DeadLetterService.DefaultBulkLimit} of {count})" : "")
            .Append(". Their attempts start again; the rows they blocked are released.</p>")
            .Append("<form method=\"post\" action=\"/ops/deadletters/replay\">").Append(Token(context))
            .Append(Hidden("connector", filter.Connector)).Append(Hidden("flow", filter.Flow)).Append(Hidden("class", filter.ErrorClass))
            .Append("<button type=\"submit\">Replay ").Append(Math.Min(count, DeadLetterService.DefaultBulkLimit)).Append(" dead letters</button> ")
            .Append("<a href=\"").Append(E(OpsDeadLettersPage.Link(filter, null))).Append("\">Cancel</a></form>");
        return Page(context, "Replay a group", body.ToString());
    }

    private static async Task<IResult> ReplayGroupAsync(
        HttpContext context, IFormCollection form, DeadLetterService service, CancellationToken cancellationToken)
    {
        var filter = AdminQuery.Filter(k => form[k].ToString()).Filter;
        if (filter is null || filter.IsEmpty)
            return Page(context, "Replay a group", "<p class=\"err\" role=\"alert\">No group named: nothing replayed.</p>", status: StatusCodes.Status400BadRequest);
        var audit = DeadLetterService.ReplayAudit(OpsAudit.Actor(context), DeadLetterService.Describe(filter), group: true);
        var replayed = await service.ReplayMatchingAsync(filter, DeadLetterService.DefaultBulkLimit, cancellationToken, audit).ConfigureAwait(false);
        return OpsAudit.Done(context, audit.Detail(replayed), Back(OpsDeadLettersPage.Link(filter, null), "Back to the group"));
    }

    private static async Task<IResult> ConfirmReplayAsync(HttpContext context, string id, DeadLetterService service, CancellationToken cancellationToken)
    {
        if (await service.ShowAsync(id, cancellationToken).ConfigureAwait(false) is not { } found)
            return NotFound(context, id);
        var body = Summary(found.Row) + $"<form method=\"post\" action=\"/ops/deadletters/{E(Uri.EscapeDataString(id))}/replay\">{Token(context)}" +
            "<button type=\"submit\">Replay this dead letter</button> " + $"<a href=\"/ops/events?q={found.Row.InboxEventId}\">Cancel</a></form>";
        return Page(context, "Replay a dead letter", body);
    }

    private static async Task<IResult> ReplayAsync(
        HttpContext context, string id, IFormCollection form, DeadLetterService service, CancellationToken cancellationToken)
    {
        var audit = DeadLetterService.ReplayAudit(OpsAudit.Actor(context), id, group: false);
        var ok = await service.ReplayAsync(id, cancellationToken, audit).ConfigureAwait(false);
        return OpsAudit.Done(context, audit.Detail(ok ? 1 : 0), Back("/ops/deadletters", "Back to the dead letters"), ok);
    }

    private static async Task<IResult> ConfirmDiscardAsync(HttpContext context, string id, DeadLetterService service, CancellationToken cancellationToken)
    {
        if (await service.ShowAsync(id, cancellationToken).ConfigureAwait(false) is not { } found)
            return NotFound(context, id);
        var body = Summary(found.Row) + $"<form method=\"post\" action=\"/ops/deadletters/{E(Uri.EscapeDataString(id))}/discard\">{Token(context)}" +
            "<label for=\"reason\">Why is this operation given up? (kept with the row and in the audit log)</label>" +
            "<textarea id=\"reason\" name=\"reason\" required rows=\"3\" cols=\"60\" maxlength=\"500\"></textarea>" +
            "<p><button type=\"submit\">Discard this operation</button> " + $"<a href=\"/ops/events?q={found.Row.InboxEventId}\">Cancel</a></p></form>";
        return Page(context, "Discard a dead letter", body);
    }

    private static async Task<IResult> DiscardAsync(
        HttpContext context, string id, [FromForm] string? reason, DeadLetterService service, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason))
            return Page(context, "Discard a dead letter", "<p class=\"err\" role=\"alert\">Give a reason: nothing discarded.</p>", status: StatusCodes.Status400BadRequest);
        var audit = DeadLetterService.DiscardAudit(OpsAudit.Actor(context), id, reason);
        var ok = await service.DiscardAsync(id, reason, cancellationToken, audit).ConfigureAwait(false);
        return OpsAudit.Done(context, audit.Detail(ok ? 1 : 0), Back("/ops/deadletters", "Back to the dead letters"), ok);
    }

    private static string Summary(OperationRow row) =>
        $"<dl><dt>Operation</dt><dd><code>{E(row.Id)}</code>: {E($"{row.Connector} {row.Operation} {row.ObjectType}")}</dd>" +
        $"<dt>Flow</dt><dd>{E($"{row.Flow} / {row.OperationKey}")}</dd><dt>State</dt><dd>{E(row.State)}</dd>" +
        $"<dt>Reason</dt><dd>{E(row.DeadReason ?? "–")}</dd><dt>Event</dt><dd><a href=\"/ops/events?q={row.InboxEventId}\">event {row.InboxEventId}</a></dd></dl>";

    private static IResult NotFound(HttpContext context, string id) =>
        Page(context, "Not found", $"<p class=\"err\" role=\"alert\">There is no outbox row {E(id)}.</p>", status: StatusCodes.Status404NotFound);

    private static string Hidden(string name, string? value) => value is null ? "" : $"<input type=\"hidden\" name=\"{name}\" value=\"{E(value)}\">";

    internal static string Back(string href, string text) => $"<p><a href=\"{E(href)}\">{E(text)}</a></p>";
}
