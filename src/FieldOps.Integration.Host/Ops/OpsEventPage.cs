using System.Globalization;
using System.Text;
using FieldOps.Integration.Core.Operations;
using FieldOps.Integration.Core.Text;
using static FieldOps.Integration.Host.Ops.OpsHtml;

namespace FieldOps.Integration.Host.Ops;

/// <summary><c>GET /ops/events?q=</c>: an event found by its id, a field-service entity id or a target id, and its whole life.</summary>
internal static class OpsEventPage
{
    private const int MaxMatches = 50;

    public static async Task<IResult> RenderAsync(HttpContext context, string? q, IOperationsStore store, CancellationToken cancellationToken)
    {
        var term = q?.Trim() ?? "";
        var body = new StringBuilder()
            .Append("<form method=\"get\" action=\"/ops/events\" role=\"search\"><label for=\"q\">Event id, field-service entity id or target id</label>")
            .Append("<input id=\"q\" name=\"q\" value=\"").Append(E(term)).Append("\" required maxlength=\"200\"> <button type=\"submit\">Find</button></form>");
        if (term.Length == 0)
            return Page(context, "Find an event", body.ToString());

        var ids = new List<long>();
        if (long.TryParse(term, NumberStyles.None, CultureInfo.InvariantCulture, out var eventId))
            ids.Add(eventId);
        ids.AddRange(await store.FindEventIdsAsync(term, MaxMatches, cancellationToken).ConfigureAwait(false));
        var lives = new List<EventLife>();
        foreach (var id in ids.Distinct().Take(MaxMatches))
        {
            if (await store.GetEventLifeAsync(id, cancellationToken).ConfigureAwait(false) is { } life)
                lives.Add(life);
        }
        if (lives.Count == 0)
        {
            body.Append("<p role=\"status\">No event is named by ").Append(E(term)).Append(".</p>");
            return Page(context, "Find an event", body.ToString(), status: StatusCodes.Status404NotFound);
        }
        if (lives.Count > 1)
        {
            body.Append(Table($"{lives.Count} events named by {term}", ["event", "source", "received", "state", "operations"], lives.Select(l => new[]
            {
                $"<a href=\"/ops/events?q={l.Event.Id}\">event {l.Event.Id}</a>", E(l.Event.Source), Time(l.Event.ReceivedAt), E(l.Event.State),
                l.Operations.Count.ToString(CultureInfo.InvariantCulture),
            }), ""));
            return Page(context, "Find an event", body.ToString());
        }
        body.Append("<p><a href=\"/ops/events/").Append(lives[0].Event.Id).Append("/reroute\">Re-route through the current mappings (dry run first)</a></p>")
            .Append(Life(lives[0]));
        return Page(context, $"Event {lives[0].Event.Id}", body.ToString());
    }

    /// <summary>Inbox → operations → attempts → result, in that order.</summary>
    public static string Life(EventLife life)
    {
        var e = life.Event;
        var html = new StringBuilder()
            .Append("<h2>Inbox</h2><dl><dt>Source</dt><dd>").Append(E(e.Source)).Append("</dd><dt>Received</dt><dd>").Append(Time(e.ReceivedAt))
            .Append("</dd><dt>State</dt><dd>").Append(E(e.State)).Append(e.StateReason is { } reason ? $": {E(reason)}" : "")
            .Append("</dd><dt>Dedup key</dt><dd>").Append(E(e.DedupKey)).Append("</dd></dl>")
            .Append("<details><summary>Payload</summary><pre>").Append(E(Excerpt(e.PayloadJson, 8000))).Append("</pre></details>");
        html.Append(Table("Operations", ["operation", "flow", "connector", "what", "partition", "state", "attempts", "target id", "reason"],
            life.Operations.Select(o => new[]
            {
                $"<code>{E(o.Id)}</code>", E($"{o.Flow} / {o.OperationKey}"), E(o.Connector), E($"{o.Operation} {o.ObjectType}"), E(o.PartitionKey),
                E(o.State) + (o.State == "dead" ? " " + OpsDeadLettersPage.Actions(o.Id) : ""), o.Attempts.ToString(CultureInfo.InvariantCulture),
                E(o.TargetId ?? "–"), E(o.DeadReason ?? o.LastError ?? ""),
            }), "The event became no operation."));
        html.Append(Table("Attempts", ["operation", "#", "started", "took", "outcome", "status", "message", "by"], life.Attempts.Select(a => new[]
        {
            $"<code>{E(Short(a.OutboxId))}</code>", a.Attempt.Attempt.ToString(CultureInfo.InvariantCulture), Time(a.Attempt.StartedAt),
            E($"{a.Attempt.Duration.TotalMilliseconds:0} ms"), E(a.Attempt.Outcome.ToString()), E(a.Attempt.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? "–"),
            E(a.Attempt.Message), E(a.Attempt.Instance ?? "–"),
        }), "No attempt yet."));
        html.Append(Table("Operator actions", ["operation", "action", "at", "state before", "note"], life.Actions.Select(a => new[]
        {
            $"<code>{E(Short(a.OutboxId))}</code>", E(a.Action), Time(a.At), E(a.PreviousState), E(a.Note),
        }), "No operator action."));
        var result = life.Operations.GroupBy(o => o.State).Select(g => $"{g.Count()} {g.Key}");
        html.Append("<h2>Result</h2><p>").Append(E(life.Operations.Count == 0 ? e.State : string.Join(", ", result))).Append("</p>");
        return html.ToString();
    }

    /// <summary>An operation's key shortened to its last 12 characters: every key of one event begins with the event's id.</summary>
    private static string Short(string id) => id.Length > 12 ? id[^12..] : id;

    private static string Excerpt(string text, int max) => TextCut.Excerpt(text, max, " …");
}
