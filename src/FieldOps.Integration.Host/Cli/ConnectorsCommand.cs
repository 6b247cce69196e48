using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Text;
using FieldOps.Integration.Host.Startup;
using FieldOps.Integration.Storage.Migrations;
using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Host.Cli;

/// <summary>
/// <c>fieldops connectors check [name] [--Key=value …]</c>: builds the service's parts without starting it and runs
/// each connector's live check (token call plus one cheap read), printing what works and what does not.
/// Exit codes: 0 every check passed, 1 something failed, 2 usage or configuration error.
/// </summary>
internal static class ConnectorsCommand
{
    private static readonly TimeSpan s_checkTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The sub-commands: <c>check [name]</c> and <c>connect quickbooks …</c>.</summary>
    private static readonly Dictionary<string, Func<string[], Task<int>>> s_subcommands = new(StringComparer.Ordinal)
    {
        ["check"] = CheckAsync,
        ["connect"] = ConnectAsync,
    };

    /// <summary><c>fieldops connectors connect quickbooks …</c>: the only connector connected by hand so far.</summary>
    private static Task<int> ConnectAsync(string[] args)
    {
        if (args is ["quickbooks", .. var rest])
            return QuickBooksConnectCommand.RunAsync(rest);
        Console.Error.WriteLine("usage: fieldops connectors connect quickbooks [--code <code> --redirect-uri <uri> | --refresh-token <token>]");
        return Task.FromResult(2);
    }

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || !s_subcommands.TryGetValue(args[0], out var subcommand))
        {
            Console.Error.WriteLine("usage: fieldops connectors check [name] [--Key=value ...]");
            Console.Error.WriteLine("  check   live check of each configured connector's credentials and reachability (or only [name])");
            Console.Error.WriteLine("sub-commands: " + string.Join(", ", s_subcommands.Keys.Order(StringComparer.Ordinal)));
            return 2;
        }
        return await subcommand(args[1..]).ConfigureAwait(false);
    }

    private static async Task<int> CheckAsync(string[] args)
    {
        var names = args.TakeWhile(a => !a.StartsWith('-')).ToList();
        if (names.Count > 1)
        {
            Console.Error.WriteLine("usage: fieldops connectors check [name] [--Key=value ...]");
            return 2;
        }
        WebApplication app;
        try
        {
            // Quiet by default: the command prints its own lines; --Logging:Level=Information brings the logs back.
            app = FieldOpsApplication.Build(["--Logging:Level=Warning", .. args.Skip(names.Count)]);
            app.Services.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (Exception ex) when (ConfigurationErrors.TryDescribe(ex, out var lines))
        {
            foreach (var line in lines)
                Console.Error.WriteLine($"Configuration error: {line}");
            return 2;
        }
        await using (app.ConfigureAwait(false))
        {
            var kinds = app.Services.GetServices<ConnectorKind>().OrderBy(k => k.Name, StringComparer.Ordinal).ToList();
            var chosen = kinds.Where(k => names.Count == 0 || string.Equals(k.Name, names[0], StringComparison.OrdinalIgnoreCase)).ToList();
            if (chosen.Count == 0)
            {
                var known = kinds.Select(k => k.Name).ToList();
                Console.Error.WriteLine(names.Count == 0
                    ? "fieldops connectors check: this build has no connectors."
                    : $"fieldops connectors check: no connector named '{names[0]}'{NearestName.Hint(names[0], known)}; known: {string.Join(", ", known)}.");
                return 2;
            }
            var checks = app.Services.GetServices<IConnectionCheck>().ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
            var configured = app.Services.GetServices<IConnector>().Select(c => c.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            using var timeout = new CancellationTokenSource(s_checkTimeout);
            try
            {
                // OAuth connections keep their tokens in the store: its schema must be there.
                await app.Services.GetRequiredService<MigrationRunner>().MigrateAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or InvalidOperationException)
            {
                Console.WriteLine($"store        failed  {ex.Message}");
                return 1;
            }
            var failed = false;
            foreach (var kind in chosen)
            {
                var explicitlyNamed = names.Count == 1;
                if (!configured.Contains(kind.Name))
                    failed |= !NotConfigured(kind, explicitlyNamed);
                else if (checks.GetValueOrDefault(kind.Name) is { } check)
                    failed |= !await RunCheckAsync(check, timeout.Token).ConfigureAwait(false);
                else
                    Console.WriteLine($"{kind.Name,-12} skipped configured; this connector offers no live check (its first delivery shows whether it works)");
            }
            return failed ? 1 : 0;
        }
    }

    /// <summary>An unconfigured connector: skipped when all are checked, a failure when it was asked for by name.</summary>
    private static bool NotConfigured(ConnectorKind kind, bool explicitlyNamed)
    {
        Console.WriteLine(explicitlyNamed
            ? $"{kind.Name,-12} {"config",-6} {"FAILED",-6} {kind.NotConfigured}"
            : $"{kind.Name,-12} skipped {kind.NotConfigured}");
        return !explicitlyNamed;
    }

    /// <summary>Prints one configured connector's steps; true when they all worked.</summary>
    private static async Task<bool> RunCheckAsync(IConnectionCheck check, CancellationToken cancellationToken)
    {
        IReadOnlyList<ConnectionCheckStep> steps;
        try
        {
            steps = await check.CheckAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or InvalidOperationException or IOException)
        {
            steps = [new ConnectionCheckStep("check", false, ex.Message)];
        }
        foreach (var step in steps)
            Console.WriteLine($"{check.Name,-12} {step.What,-6} {(step.Ok ? "ok" : "FAILED"),-6} {step.Detail}");
        return steps.Count > 0 && steps.All(s => s.Ok);
    }
}
