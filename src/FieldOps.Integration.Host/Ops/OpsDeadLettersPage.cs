using System.Globalization;
using System.Text;
using FieldOps.Integration.Core.Operations;
using FieldOps.Integration.Host.Admin;
using Microsoft.Extensions.Options;
using static FieldOps.Integration.Host.Ops.OpsHtml;

namespace FieldOps.Integration.Host.Ops;

/// <summary>Dead letters: the groups (counted by the database) and one group's rows, newest first, paged by cursor.</summary>
internal static class OpsDeadLettersPage
{
    public static async Task<IResult> RenderAsync(
        HttpContext context, long? before, DeadLetterService deadLetters, IOptions<OpsOptions> options, CancellationToken cancellationToken)
    {
        var query = AdminQuery.Filter(k => context.Request.Query[k].ToString());
        if (query.Filter is not { } filter)
            return Page(context, "Dead letters", $"<p class=\"err\" role=\"alert\">{E(query.Error)}</p>", status: StatusCodes.Status400BadRequest);
        var size = options.Value.PageSize;
        var rows = await deadLetters.ListAsync(filter, size, before, cancellationToken).ConfigureAwait(false);
        var body = new StringBuilder().Append("<p>").Append(E(DeadLetterService.Describe(filter))).Append("</p>");
        body.Append(Table("Dead letters", ["dead since", "connector", "flow", "operation", "class", "attempts", "reason", "event", "actions"], rows.Select(d => new[]
        {
            Time(d.DeadAt), E(d.Connector), E(d.Flow), E($"{d.Operation} {d.ObjectType}"), E(d.ErrorClass), E(d.Attempts.ToString(CultureInfo.InvariantCulture)),
            E(d.Reason), $"<a href=\"/ops/events?q={d.InboxEventId}\">event {d.InboxEventId}</a>", Actions(d.Id),
        }), "No dead letter matches."));
        if (!filter.IsEmpty && rows.Count > 0)
            body.Append("<p><a href=\"").Append(E(Link(filter, null).Replace("/ops/deadletters", "/ops/deadletters/replay", StringComparison.Ordinal)))
                .Append("\">Replay every dead letter of this selection</a></p>");
        if (rows.Count == size)
            body.Append("<p><a href=\"").Append(E(Link(filter, rows[^1].Seq))).Append("\">Older dead letters</a></p>");
        return Page(context, "Dead letters", body.ToString());
    }

    /// <summary>One page of the groups, each with its count, first and last time and the newest row's message.</summary>
    public static async Task<string> GroupsAsync(
        IReadOnlyList<DeadLetterGroup> groups, int page, int size, DeadLetterService deadLetters, CancellationToken cancellationToken)
    {
        var pages = Math.Max(1, (groups.Count + size - 1) / size);
        page = Math.Clamp(page, 1, pages);
        var shown = groups.Skip((page - 1) * size).Take(size).ToList();
        var newest = await deadLetters.NewestReasonsAsync(shown, cancellationToken).ConfigureAwait(false);
        var rows = shown.Select((g, i) =>
        {
            var filter = new DeadLetterFilter(g.Connector, g.Flow, g.ErrorClass);
            return new[]
            {
                E(g.Connector), E(g.Flow), E(g.ErrorClass ?? "–"), $"<a href=\"{E(Link(filter, null))}\">{g.Count}</a>", Time(g.FirstAt), Time(g.LastAt),
                E(newest[i]),
                $"<a href=\"{E(Link(filter, null).Replace("/ops/deadletters", "/ops/deadletters/replay", StringComparison.Ordinal))}\" " +
                $"aria-label=\"Replay the group {E($"{g.Connector} {g.Flow} {g.ErrorClass}")}\">Replay group</a>",
            };
        });
        var html = new StringBuilder(Table($"Dead letters by connector, flow and class ({groups.Sum(g => g.Count)} in {groups.Count} groups)",
            ["connector", "flow", "class", "count", "first", "last", "newest message", "action"], rows, "No dead letters."));
        if (pages > 1)
        {
            html.Append("<nav aria-label=\"Group pages\"><p>Page ").Append(page).Append(" of ").Append(pages).Append(' ');
            if (page > 1)
                html.Append("<a href=\"/ops?page=").Append(page - 1).Append("\">Previous</a> ");
            if (page < pages)
                html.Append("<a href=\"/ops?page=").Append(page + 1).Append("\">Next</a>");
            html.Append("</p></nav>");
        }
        return html.ToString();
    }

    /// <summary>The links to one dead letter's confirmation pages.</summary>
    public static string Actions(string id)
    {
        var path = E(Uri.EscapeDataString(id));
        return $"<a href=\"/ops/deadletters/{path}/replay\" aria-label=\"Replay {E(id)}\">Replay</a> " +
            $"<a href=\"/ops/deadletters/{path}/discard\" aria-label=\"Discard {E(id)}\">Discard</a>";
    }

    public static string Link(DeadLetterFilter filter, long? before)
    {
        var parts = new List<string>();
        if (filter.Connector is { } c)
            parts.Add("connector=" + Uri.EscapeDataString(c));
        if (filter.Flow is { } f)
            parts.Add("flow=" + Uri.EscapeDataString(f));
        if (filter.ErrorClass is { } k)
            parts.Add("class=" + Uri.EscapeDataString(k));
        if (before is { } b)
            parts.Add("before=" + b.ToString(CultureInfo.InvariantCulture));
        return "/ops/deadletters" + (parts.Count == 0 ? "" : "?" + string.Join('&', parts));
    }
}
