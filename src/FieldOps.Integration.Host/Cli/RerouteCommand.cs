using System.Globalization;
using System.Text.Json;
using FieldOps.Integration.Core.Mapping.Loading;
using FieldOps.Integration.Core.Operations;
using FieldOps.Integration.Host.Admin;

namespace FieldOps.Integration.Host.Cli;

/// <summary>
/// <c>fieldops reroute &lt;inboxEventId&gt; [--dry-run] [--json] [--mappings path]</c>: maps the event again with the
/// mapping files as they are now and adds rows only for operations not yet delivered (the dry run writes nothing).
/// Exit codes: 0 routed, 1 still parked, unmatched, missing or in conflict, 2 usage or configuration.
/// </summary>
internal static class RerouteCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var (rest, flags) = CliStore.Flags(args, "--dry-run", "--json");
        if (CliConfiguration.Parse(rest, "--mappings") is not { Positional.Count: 1 } parsed
            || !long.TryParse(parsed.Positional[0], CultureInfo.InvariantCulture, out var eventId))
        {
            Console.Error.WriteLine("usage: fieldops reroute <inboxEventId> [--dry-run] [--json] [--mappings path]");
            return 2;
        }
        var configuration = CliConfiguration.Load();
        var load = MappingLoader.Load(CliConfiguration.MappingsPath(configuration, parsed.Options.GetValueOrDefault("--mappings")));
        if (load.Set is null)
        {
            foreach (var diagnostic in load.Diagnostics)
                Console.Error.WriteLine(diagnostic);
            Console.Error.WriteLine("fieldops reroute: the mappings are not valid; nothing was re-routed");
            return 1;
        }
        await using var services = await CliStore.OpenAsync(configuration, "reroute").ConfigureAwait(false);
        if (services is null)
            return 2;
        var dryRun = flags.Contains("--dry-run");
        var plan = await services.GetRequiredService<RerouteService>()
            .RerouteAsync(eventId, load.Set, s => CliConfiguration.SourceKind(configuration, s), dryRun, CancellationToken.None).ConfigureAwait(false);
        if (flags.Contains("--json"))
            Console.Out.WriteLine(JsonSerializer.Serialize(plan, AdminViews.Indented));
        else
            Write(plan, dryRun);
        return plan.Result == RerouteResult.Routed ? 0 : 1;
    }

    private static void Write(ReroutePlan plan, bool dryRun)
    {
        if (plan.Result != RerouteResult.Routed)
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"event {plan.InboxEventId} ({plan.EventState ?? "missing"}): {plan.Result.ToString().ToLowerInvariant()}: {plan.Reason}"));
            return;
        }
        var written = dryRun ? "dry run: nothing written" : plan.Applied ? "written" : "nothing to write";
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"event {plan.InboxEventId} ({plan.EventState}): {plan.NewCount} new row(s) of {plan.Changes.Count} operation(s) — {written}"));
        foreach (var change in plan.Changes)
        {
            var last = change.LastRowId is null ? "" : $"  last row {change.LastRowId} ({change.LastRowState})";
            Console.Out.WriteLine($"  {change.Flow}/{change.OperationKey,-24} {Status(change.Status),-18}{last}");
            if (change.Status is RerouteStatus.New or RerouteStatus.Unchanged or RerouteStatus.AlreadyDelivered && change.LastRowId is not null)
            {
                foreach (var diff in change.Diff)
                    Console.Out.WriteLine($"      {diff.Path}: {diff.Before ?? "(absent)"} → {diff.After ?? "(absent)"}");
            }
        }
    }

    private static string Status(RerouteStatus status) => status switch
    {
        RerouteStatus.New => "new",
        RerouteStatus.Unchanged => "unchanged",
        RerouteStatus.AlreadyDelivered => "already delivered",
        RerouteStatus.InProgress => "in progress",
        _ => "no longer produced",
    };
}
