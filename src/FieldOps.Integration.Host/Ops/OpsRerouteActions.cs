using System.Globalization;
using System.Text;
using FieldOps.Integration.Core.Intake;
using FieldOps.Integration.Core.Mapping.Loading;
using FieldOps.Integration.Core.Operations;
using FieldOps.Integration.Core.Sources;
using FieldOps.Integration.Host.Sources;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using static FieldOps.Integration.Host.Ops.OpsHtml;

namespace FieldOps.Integration.Host.Ops;

/// <summary>
/// Re-route an event through the current mappings after a dry run shown as a diff, and rewind a polled source's
/// watermark: a confirmation page (GET) and the action (POST), through the same services as <c>/admin</c>, audited.
/// </summary>
internal static class OpsRerouteActions
{
    public static RouteGroupBuilder MapRerouteActions(this RouteGroupBuilder ops)
    {
        ops.MapGet("/events/{id:long}/reroute", DryRunAsync);
        ops.MapPost("/events/{id:long}/reroute", RerouteAsync);
        ops.MapGet("/sources/{name}/rewind", ConfirmRewindAsync);
        ops.MapPost("/sources/{name}/rewind", RewindAsync);
        return ops;
    }

    private static async Task<IResult> DryRunAsync(
        HttpContext context, long id, RerouteService service, MappingCatalog catalog, IOptionsMonitor<SourcesOptions> sources, CancellationToken cancellationToken)
    {
        var plan = await PlanAsync(id, true, service, catalog, sources, cancellationToken).ConfigureAwait(false);
        var body = new StringBuilder().Append(Describe(plan));
        if (plan.Result is RerouteResult.Routed or RerouteResult.Parked && plan.NewCount > 0)
        {
            body.Append("<form method=\"post\" action=\"/ops/events/").Append(id).Append("/reroute\">").Append(Token(context))
                .Append("<button type=\"submit\">Re-route: write ").Append(plan.NewCount).Append(" new operation(s)</button> ")
                .Append("<a href=\"/ops/events?q=").Append(id).Append("\">Cancel</a></form>");
        }
        else
        {
            body.Append("<p>Nothing to write: no operation would change.</p>");
        }
        return Page(context, $"Re-route event {id}: dry run", body.ToString(), status: plan.Result == RerouteResult.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status200OK);
    }

    private static async Task<IResult> RerouteAsync(
        HttpContext context, long id, IFormCollection form, RerouteService service, MappingCatalog catalog, IOptionsMonitor<SourcesOptions> sources,
        IAuditLog log, TimeProvider time, CancellationToken cancellationToken)
    {
        var plan = await PlanAsync(id, false, service, catalog, sources, cancellationToken).ConfigureAwait(false);
        var outcome = plan.Applied ? $"wrote {plan.NewCount} new operation(s) ({plan.Result})" : $"nothing written: {plan.Result} {plan.Reason}".TrimEnd();
        return await OpsAudit.DoneAsync(context, log, time, "reroute", $"event {id}", outcome,
            Describe(plan) + OpsDeadLetterActions.Back($"/ops/events?q={id}", "Back to the event"), plan.Applied).ConfigureAwait(false);
    }

    private static Task<ReroutePlan> PlanAsync(
        long id, bool dryRun, RerouteService service, MappingCatalog catalog, IOptionsMonitor<SourcesOptions> sources, CancellationToken cancellationToken) =>
        service.RerouteAsync(id, catalog.Current, s => sources.CurrentValue.TryGetValue(s, out var o) ? o.Kind : null, dryRun, cancellationToken);

    /// <summary>The plan: its result, then per operation what happens and the fields that differ from the last row.</summary>
    private static string Describe(ReroutePlan plan)
    {
        var html = new StringBuilder().Append("<p>Result: <strong>").Append(E(plan.Result.ToString())).Append("</strong>")
            .Append(plan.Reason is { } r ? $": {E(r)}" : "").Append("</p>");
        foreach (var change in plan.Changes)
        {
            html.Append(Table($"{change.Flow} / {change.OperationKey}: {change.Status}" + (change.LastRowState is { } s ? $" (last row {s})" : ""),
                ["field", "before (last row)", "after (current mappings)"],
                change.Diff.Select(d => new[] { $"<code>{E(d.Path)}</code>", $"<del>{E(d.Before ?? "(absent)")}</del>", $"<ins>{E(d.After ?? "(absent)")}</ins>" }),
                change.Status == RerouteStatus.New && change.LastRowId is null ? "A new operation (no earlier row)." : "No field differs."));
        }
        return html.ToString();
    }

    private static async Task<IResult> ConfirmRewindAsync(
        HttpContext context, string name, ISourceStore store, IOptions<SourceAdaptersOptions> adapters, CancellationToken cancellationToken)
    {
        if (SourcesEndpoints.Polled(adapters.Value, name) is not { } source)
            return NotPolled(context, name);
        var mark = await store.GetWatermarkAsync(source, cancellationToken).ConfigureAwait(false);
        var body = $"<p>The watermark of <strong>{E(source)}</strong> is {Time(mark?.Watermark)}. The next poll reads every change since the " +
            "time you give (changes already in the inbox are skipped as duplicates).</p>" +
            $"<form method=\"post\" action=\"/ops/sources/{E(Uri.EscapeDataString(source))}/rewind\">{Token(context)}" +
            "<label for=\"to\">Replay from (ISO 8601, UTC, e.g. 2026-01-01T00:00:00Z)</label>" +
            "<input id=\"to\" name=\"to\" required maxlength=\"40\" aria-describedby=\"to-help\"><p id=\"to-help\">Times without an offset are read as UTC.</p>" +
            "<p><button type=\"submit\">Rewind the watermark</button> <a href=\"/ops\">Cancel</a></p></form>";
        return Page(context, $"Rewind {source}", body);
    }

    private static async Task<IResult> RewindAsync(
        HttpContext context, string name, [FromForm] string? to, ISourceStore store, IOptions<SourceAdaptersOptions> adapters, IAuditLog log,
        TimeProvider time, CancellationToken cancellationToken)
    {
        if (SourcesEndpoints.Polled(adapters.Value, name) is not { } source)
            return NotPolled(context, name);
        if (!DateTimeOffset.TryParse(to, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
            return Page(context, $"Rewind {source}", $"<p class=\"err\" role=\"alert\">'{E(to)}' is not an ISO 8601 time: nothing rewound.</p>", status: StatusCodes.Status400BadRequest);
        var before = await store.GetWatermarkAsync(source, cancellationToken).ConfigureAwait(false);
        await store.RewindAsync(source, instant, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return await OpsAudit.DoneAsync(context, log, time, "rewind", $"source {source}",
            $"watermark rewound from {Time(before?.Watermark)} to {Time(instant)}", OpsDeadLetterActions.Back("/ops", "Back to the overview")).ConfigureAwait(false);
    }

    private static IResult NotPolled(HttpContext context, string name) =>
        Page(context, "Not polled", $"<p class=\"err\" role=\"alert\">Source '{E(name)}' is not polled (Sources:{E(name)}:Poll:Adapter).</p>", status: StatusCodes.Status404NotFound);
}
