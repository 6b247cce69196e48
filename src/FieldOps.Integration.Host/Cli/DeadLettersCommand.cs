using System.Globalization;
using System.Text.Json;
using FieldOps.Integration.Core.Operations;
using FieldOps.Integration.Host.Admin;

namespace FieldOps.Integration.Host.Cli;

/// <summary>
/// <c>fieldops deadletters list|groups|show|replay|discard</c>: the admin API's dead-letter functions, run directly on
/// the configured store. Exit codes: 0 done, 1 nothing matched (no such dead letter), 2 usage or configuration.
/// </summary>
internal static class DeadLettersCommand
{
    private static readonly string[] FilterOptions = ["--connector", "--flow", "--class", "--from", "--to"];

    public static async Task<int> RunAsync(string[] args)
    {
        var (rest, flags) = CliStore.Flags(args, "--json", "--all");
        if (rest.Length == 0 || CliConfiguration.Parse(rest[1..], [.. FilterOptions, "--limit", "--before", "--max", "--reason"]) is not { } parsed)
            return Usage();
        var sub = rest[0];
        if (sub is not ("list" or "groups" or "show" or "replay" or "discard"))
            return Usage();
        if (CliStore.Filter(parsed.Options, "deadletters") is not { } filter)
            return 2;
        if (!TryInt(parsed.Options, "--limit", 50, out var limit) || !TryInt(parsed.Options, "--max", DeadLetterService.DefaultBulkLimit, out var max)
            || !TryLong(parsed.Options, "--before", out var before))
            return Usage();
        await using var services = await CliStore.OpenAsync(CliConfiguration.Load(), "deadletters").ConfigureAwait(false);
        if (services is null)
            return 2;
        var deadLetters = services.GetRequiredService<DeadLetterService>();
        var json = flags.Contains("--json");
        switch (sub, parsed.Positional.Count)
        {
            case ("list", 0):
                var items = await deadLetters.ListAsync(filter, limit, before, CancellationToken.None).ConfigureAwait(false);
                Print(json, items, () => DeadLetterTable.WriteList(items));
                return 0;
            case ("groups", 0):
                var groups = await deadLetters.GroupAsync(filter, CancellationToken.None).ConfigureAwait(false);
                Print(json, groups, () => DeadLetterTable.WriteGroups(groups));
                return 0;
            case ("show", 1):
                if (await deadLetters.ShowAsync(parsed.Positional[0], CancellationToken.None).ConfigureAwait(false) is not { } found)
                    return NotFound(parsed.Positional[0]);
                var mappings = CliConfiguration.MappingsPath(CliConfiguration.Load(), null);
                Console.Out.WriteLine(JsonSerializer.Serialize(AdminViews.Show(found.Row, found.Life, mappings), AdminViews.Indented));
                return 0;
            case ("replay", 1):
                if (!await deadLetters.ReplayAsync(parsed.Positional[0], CancellationToken.None,
                    DeadLetterService.ReplayAudit(CliActor, parsed.Positional[0], group: false)).ConfigureAwait(false))
                    return NotFound(parsed.Positional[0]);
                Console.Out.WriteLine($"replayed {parsed.Positional[0]}");
                return 0;
            case ("replay", 0):
                if (filter.IsEmpty && !flags.Contains("--all"))
                {
                    Console.Error.WriteLine("fieldops deadletters replay: name an id, a filter (--connector --flow --class --from --to), or --all");
                    return 2;
                }
                var replayed = await deadLetters.ReplayMatchingAsync(filter, max, CancellationToken.None,
                    DeadLetterService.ReplayAudit(CliActor, DeadLetterService.Describe(filter), group: true)).ConfigureAwait(false);
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"replayed {replayed} dead letter(s) ({DeadLetterService.Describe(filter)})"));
                return replayed > 0 ? 0 : 1;
            case ("discard", 1):
                if (!parsed.Options.TryGetValue("--reason", out var reason) || string.IsNullOrWhiteSpace(reason))
                {
                    Console.Error.WriteLine("fieldops deadletters discard: --reason \"why\" is required");
                    return 2;
                }
                if (!await deadLetters.DiscardAsync(parsed.Positional[0], reason, CancellationToken.None,
                    DeadLetterService.DiscardAudit(CliActor, parsed.Positional[0], reason)).ConfigureAwait(false))
                    return NotFound(parsed.Positional[0]);
                Console.Out.WriteLine($"discarded {parsed.Positional[0]}");
                return 0;
            default:
                return Usage();
        }
    }

    // The command runs as a local user: the audit log names them.
    private static string CliActor => $"cli user {Environment.UserName}";

    private static void Print<T>(bool json, T value, Action table)
    {
        if (json)
            Console.Out.WriteLine(JsonSerializer.Serialize(value, AdminViews.Indented));
        else
            table();
    }

    private static int NotFound(string id)
    {
        Console.Error.WriteLine($"fieldops deadletters: {id} does not exist or is not a dead letter");
        return 1;
    }

    private static bool TryInt(Dictionary<string, string> options, string name, int fallback, out int value)
    {
        value = fallback;
        return !options.TryGetValue(name, out var text) || (int.TryParse(text, CultureInfo.InvariantCulture, out value) && value > 0);
    }

    private static bool TryLong(Dictionary<string, string> options, string name, out long? value)
    {
        value = null;
        if (!options.TryGetValue(name, out var text))
            return true;
        var ok = long.TryParse(text, CultureInfo.InvariantCulture, out var parsed);
        value = parsed;
        return ok;
    }

    private static int Usage()
    {
        Console.Error.WriteLine("""
            usage: fieldops deadletters list   [--connector c] [--flow f] [--class Permanent] [--from 2026-01-01T00:00Z] [--to …] [--limit 50] [--before seq] [--json]
                   fieldops deadletters groups [filters] [--json]
                   fieldops deadletters show <id>
                   fieldops deadletters replay <id> | replay [filters] [--max 10000] | replay --all
                   fieldops deadletters discard <id> --reason "why"
            """);
        return 2;
    }
}
