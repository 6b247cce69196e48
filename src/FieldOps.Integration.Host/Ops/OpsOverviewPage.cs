using System.Text;
using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.Dispatch;
using FieldOps.Integration.Core.Intake;
using FieldOps.Integration.Core.Operations;
using FieldOps.Integration.Core.Sources;
using Microsoft.Extensions.Options;
using static FieldOps.Integration.Host.Ops.OpsHtml;

namespace FieldOps.Integration.Host.Ops;

/// <summary><c>GET /ops</c>: sources, connectors, tokens and the dead-letter groups (counted in the database), paged.</summary>
internal static class OpsOverviewPage
{
    public static async Task<IResult> RenderAsync(
        HttpContext context, int? page, ISourceStore sources, IOptions<SourcesOptions> configured, IOptions<SourceAdaptersOptions> adapters,
        IOperationsStore store, DeadLetterService deadLetters, IOptions<OpsOptions> options, TimeProvider time, CancellationToken cancellationToken,
        ConnectorGates? gates = null)
    {
        var now = time.GetUtcNow();
        var watermarks = await sources.ListWatermarksAsync(cancellationToken).ConfigureAwait(false);
        var kinds = configured.Value.ToDictionary(s => s.Key, s => s.Value.Kind, StringComparer.OrdinalIgnoreCase);
        var statuses = SourceStatus.Build(kinds, adapters.Value, watermarks, now);
        var intake = (await store.CountIntakeAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(i => i.Source, StringComparer.OrdinalIgnoreCase);
        var backlog = await store.GetBacklogAsync(cancellationToken).ConfigureAwait(false);
        var blocked = await store.CountHeldAsync(cancellationToken, blockedOnly: true).ConfigureAwait(false);
        var tokens = await store.ListTokenStatesAsync(cancellationToken).ConfigureAwait(false);
        var groups = await deadLetters.GroupAsync(DeadLetterFilter.All, cancellationToken).ConfigureAwait(false);
        var since = now - OpsCharts.Slices * OpsCharts.Slice;
        var throughput = await store.GetThroughputAsync(since, OpsCharts.Slice, cancellationToken).ConfigureAwait(false);

        var body = new StringBuilder();
        body.Append(Table("Sources", ["source", "kind", "events received", "last event", "polling", "watermark", "lag", "last run", "records polled", "last error", "action"],
            statuses.Select(s => new[]
            {
                E(s.Source), E(s.Kind), E((intake.GetValueOrDefault(s.Source)?.Received ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                Time(intake.GetValueOrDefault(s.Source)?.LastAt), E(s.Schedule ?? "webhooks only"), Time(s.Watermark), Age(s.Lag), Time(s.LastRunAt) + (s.LastRunBy is { } by ? $" <small>by {E(by)}</small>" : ""),
                E(s.RecordsTotal.ToString(System.Globalization.CultureInfo.InvariantCulture)), s.LastErrors is { } err ? $"<span class=\"err\">{E(err)}</span>" : "–",
                s.Schedule is null ? "–" : $"<a href=\"/ops/sources/{E(Uri.EscapeDataString(s.Source))}/rewind\" aria-label=\"Rewind {E(s.Source)}\">Rewind</a>",
            }), "No source is configured."));

        var breakers = (gates?.BreakerStates ?? []).ToDictionary(b => b.Connector, b => b.State.ToString(), StringComparer.OrdinalIgnoreCase);
        var headroom = (gates?.Headroom ?? []).ToDictionary(h => h.Connector, StringComparer.OrdinalIgnoreCase);
        var connections = context.RequestServices.GetRequiredService<ConnectionStatus>();
        var names = breakers.Keys.Concat(backlog.Select(b => b.Connector))
            .Concat(tokens.Select(t => OpsConnectorSignals.ConnectorOf(t.Connection))).Concat(connections.Broken.Keys.Select(OpsConnectorSignals.ConnectorOf)).Concat(groups.Select(g => g.Connector)).Concat(blocked.Select(h => h.Connector)).Concat(throughput.Select(t => t.Connector))
            .Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase).ToList();
        body.Append(Table("Connectors", ["connector", "breaker", "rate-limit headroom", "backlog", "oldest pending", "delivered last hour", "failed attempts last hour", "dead letters", "blocked behind them", "token"],
            names.Select(name =>
            {
                var b = backlog.FirstOrDefault(x => x.Connector.Equals(name, StringComparison.OrdinalIgnoreCase));
                return new[]
                {
                    E(name), E(breakers.GetValueOrDefault(name, "not running here")),
                    OpsConnectorSignals.Headroom(name, headroom.GetValueOrDefault(name), context.RequestServices, now), E((b?.Pending ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    Age(b?.OldestCreatedAt is { } oldest ? now - oldest : null),
                    Count(throughput.Where(t => t.Connector.Equals(name, StringComparison.OrdinalIgnoreCase)).Sum(t => t.Delivered)),
                    Count(throughput.Where(t => t.Connector.Equals(name, StringComparison.OrdinalIgnoreCase)).Sum(t => t.Failed)),
                    Count(groups.Where(g => g.Connector.Equals(name, StringComparison.OrdinalIgnoreCase)).Sum(g => g.Count)),
                    Count(blocked.Where(h => h.Connector.Equals(name, StringComparison.OrdinalIgnoreCase)).Sum(h => h.Count)),
                    OpsConnectorSignals.Tokens(name, tokens, connections, now),
                };
            }), "No connector is running and nothing waits."));

        if (names.Count > 0)
        {
            body.Append("<h2>Last hour: attempts per connector</h2><p>Delivered above the line, failed below, per 5 minutes.</p>");
            foreach (var name in names)
                body.Append(OpsCharts.Render(name, throughput, since));
        }

        body.Append(Table("Tokens", ["connection", "expires", "state"], tokens.Select(t => new[]
        {
            E(t.Connection), Time(t.ExpiresAt), OpsConnectorSignals.State(t, connections, now),
        }), "No OAuth connection has stored a token."));

        body.Append(await OpsDeadLettersPage.GroupsAsync(groups, page ?? 1, options.Value.PageSize, deadLetters, cancellationToken).ConfigureAwait(false));
        return Page(context, "Operations", body.ToString());
    }

    private static string Count(long n) => n == 0 ? "0" : $"<strong>{n}</strong>";
}
