using System.Globalization;
using System.Text.Json.Nodes;
using FieldOps.Connectors.HubSpot;
using FieldOps.Connectors.Salesforce;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Mapping.Loading;
using FieldOps.Integration.Core.Mapping.TargetSchemas;
using FieldOps.Integration.Host.Startup;
using FieldOps.Integration.Storage.Migrations;
using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Host.Cli;

/// <summary>
/// <c>fieldops validate [--online | --offline] [path ...]</c>: checks mapping folders (every file, and how they fit
/// together) or single files: schema, expressions, function names and event types, and each flow's fields against its
/// target's own schema — QuickBooks' XSD and BambooHR's OpenAPI always (shipped in the build); Salesforce's describe and
/// HubSpot's properties with <c>--online</c> (read through the configured connectors and cached in the store with their
/// fetch time) or <c>--offline</c> (the cache, its age shown). Each problem as <c>file:line:column: message</c>.
/// Warnings (e.g. a string expression into a decimal field) are printed but do not fail the check.
/// </summary>
internal static class ValidateCommand
{
    private static readonly TimeSpan s_onlineTimeout = TimeSpan.FromSeconds(60);
    private static readonly string[] s_onlineTargets = ["salesforce", "hubspot"];

    public static async Task<int> RunAsync(string[] args)
    {
        var online = args.Contains("--online");
        var offline = args.Contains("--offline");
        if (CliConfiguration.Parse(args.Where(a => a is not ("--online" or "--offline")).ToArray()) is not { } parsed || (online && offline))
        {
            Console.Error.WriteLine("usage: fieldops validate [--online | --offline] [path ...]");
            return 2;
        }
        var configuration = CliConfiguration.Load();
        var paths = parsed.Positional.Count > 0 ? parsed.Positional : [CliConfiguration.MappingsPath(configuration, null)];
        if (paths.Find(p => !File.Exists(p) && !Directory.Exists(p)) is { } missing)
        {
            Console.Error.WriteLine($"fieldops validate: no mapping file or folder at '{Path.GetFullPath(missing)}'.");
            return 2;
        }
        var schemas = TargetSchemaSet.Shipped;
        var problems = 0;
        if (online || offline)
        {
            var (cache, fetchProblems, exit) = online ? await FetchAsync(paths).ConfigureAwait(false) : await ReadCacheAsync(configuration).ConfigureAwait(false);
            if (exit != 0)
                return exit;
            problems += fetchProblems;
            PrintAges(cache, TimeProvider.System.GetUtcNow());
            schemas = schemas.With(DescribedSchema.AllFromCache(cache));
        }
        var warnings = 0;
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                var diagnostics = MappingLoader.ValidateFiles([path], schemas);
                foreach (var diagnostic in diagnostics)
                    Console.Out.WriteLine(diagnostic);
                var errors = diagnostics.Count(d => !d.IsWarning);
                problems += errors;
                warnings += diagnostics.Count - errors;
                if (errors == 0)
                    Console.Out.WriteLine($"{path}: ok.");
                continue;
            }
            var result = MappingLoader.Load(path, schemas);
            foreach (var diagnostic in result.Diagnostics)
                Console.Out.WriteLine(diagnostic);
            if (result.Set is null)
                problems += Math.Max(1, result.Errors.Count);
            else
                Console.Out.WriteLine($"{path}: ok ({result.Set.Summary}).");
            warnings += result.Diagnostics.Count(d => d.IsWarning);
        }
        if (warnings > 0)
            Console.Error.WriteLine($"{warnings} warning(s).");
        if (problems == 0)
            return 0;
        Console.Error.WriteLine($"{problems} problem(s).");
        return 1;
    }

    /// <summary>
    /// Reads Salesforce's describe and HubSpot's properties of every object the flows write, through the configured
    /// connectors (read-only calls, each counted against the vendor's API limits), and stores each answer with its fetch time.
    /// </summary>
    private static async Task<(IReadOnlyList<CachedTargetSchema> Cache, int Problems, int Exit)> FetchAsync(IReadOnlyList<string> paths)
    {
        WebApplication app;
        try
        {
            app = FieldOpsApplication.Build(["--Logging:Level=Warning"]);
            app.Services.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (Exception ex) when (ConfigurationErrors.TryDescribe(ex, out var lines))
        {
            foreach (var line in lines)
                Console.Error.WriteLine($"Configuration error: {line}");
            return ([], 0, 2);
        }
        await using (app.ConfigureAwait(false))
        {
            using var timeout = new CancellationTokenSource(s_onlineTimeout);
            await app.Services.GetRequiredService<MigrationRunner>().MigrateAsync(timeout.Token).ConfigureAwait(false);
            var cache = app.Services.GetRequiredService<ITargetSchemaCache>();
            var problems = 0;
            var wanted = MappingLoader.TargetObjects(paths).Where(p => s_onlineTargets.Contains(p.Connector)).ToList();
            foreach (var connector in wanted.Select(p => p.Connector).Distinct())
            {
                var count = wanted.Count(p => p.Connector == connector);
                Console.Out.WriteLine(connector == "salesforce"
                    ? $"salesforce: reading the describe of {count} object(s): {count} read-only API call(s), counted against the org's daily API request limit"
                    : $"hubspot: reading the properties of {count} object type(s): {count} read-only call(s), counted against the app's rate limit");
            }
            foreach (var (connector, objectType) in wanted)
            {
                var read = connector == "salesforce" ? "describe" : "properties";
                var reader = app.Services.GetKeyedService<IConnectorReader>(connector);
                ConnectorReadResult answer;
                try
                {
                    answer = reader is null
                        ? ConnectorReadResult.Failed($"the {connector} connector is not configured")
                        : await reader.ReadAsync("default", read, new JsonObject { ["objectType"] = objectType }, timeout.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or InvalidOperationException or IOException)
                {
                    answer = ConnectorReadResult.Failed(ex.Message);
                }
                if (answer.Failure is { } failure || answer.Answer is null)
                {
                    Console.Out.WriteLine($"{connector} {objectType}: {read} failed: {answer.Failure}; the cached copy, if any, is used");
                    problems++;
                    continue;
                }
                await cache.SaveAsync(new CachedTargetSchema(connector, objectType, answer.Answer.ToJsonString(), TimeProvider.System.GetUtcNow()), timeout.Token).ConfigureAwait(false);
            }
            foreach (var connector in wanted.Select(p => p.Connector).Distinct())
                Console.Out.WriteLine(VendorUsage(connector, app.Services));
            return (await cache.ListAsync(timeout.Token).ConfigureAwait(false), problems, 0);
        }
    }

    /// <summary>
    /// The vendor's own usage figure after the reads, from the last response headers the connector saw: Salesforce's
    /// <c>Sforce-Limit-Info: api-usage=used/limit</c>, HubSpot's <c>X-HubSpot-RateLimit-Daily(-Remaining)</c> and
    /// <c>X-HubSpot-RateLimit-Remaining/-Max</c> (OAuth apps get no daily pair). Says so when no such header came.
    /// </summary>
    internal static string VendorUsage(string connector, IServiceProvider services)
    {
        static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
        if (connector == "salesforce")
        {
            return services.GetService<SalesforceApiUsage>() is { Used: { } used, Limit: { } limit, Remaining: { } left }
                ? $"salesforce: the org says api-usage={N(used)}/{N(limit)} (Sforce-Limit-Info): {N(left)} API requests left in its 24-hour limit"
                : "salesforce: no limit header sent (Sforce-Limit-Info); the org's API usage is not known here";
        }
        var parts = new List<string>();
        var hubspot = services.GetService<HubSpotRateLimits>();
        if (hubspot is { DailyRemaining: { } dayLeft, Daily: { } day })
            parts.Add($"{N(dayLeft)} of {N(day)} requests left today (X-HubSpot-RateLimit-Daily-Remaining/-Daily)");
        if (hubspot is { Remaining: { } windowLeft, Max: { } max })
        {
            var per = hubspot.Interval is { } interval ? $" per {interval.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s" : "";
            parts.Add($"{N(windowLeft)} of {N(max)} left{per} (X-HubSpot-RateLimit-Remaining/-Max)");
        }
        return parts.Count > 0
            ? "hubspot: the portal says " + string.Join("; ", parts)
            : "hubspot: no limit header sent (X-HubSpot-RateLimit-*); the portal's usage is not known here";
    }

    /// <summary>The schemas cached by an earlier <c>--online</c> run; no call is made.</summary>
    private static async Task<(IReadOnlyList<CachedTargetSchema> Cache, int Problems, int Exit)> ReadCacheAsync(IConfiguration configuration)
    {
        await using var services = await CliStore.OpenAsync(configuration, "validate --offline").ConfigureAwait(false);
        if (services is null)
            return ([], 0, 2);
        var cache = await services.GetRequiredService<ITargetSchemaCache>().ListAsync(CancellationToken.None).ConfigureAwait(false);
        if (cache.Count == 0)
            Console.Out.WriteLine("no cached Salesforce or HubSpot schema: run fieldops validate --online first; only QuickBooks and BambooHR are checked");
        return (cache, 0, 0);
    }

    private static void PrintAges(IReadOnlyList<CachedTargetSchema> cache, DateTimeOffset now)
    {
        foreach (var entry in cache)
        {
            var age = now - entry.FetchedAt;
            var shown = age.TotalMinutes < 1 ? "just now"
                : age.TotalHours < 1 ? $"{(int)age.TotalMinutes} min ago"
                : age.TotalDays < 2 ? $"{(int)age.TotalHours} h ago"
                : $"{(int)age.TotalDays} days ago";
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{entry.Connector} {entry.ObjectType}: schema fetched {entry.FetchedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC ({shown})"));
        }
    }
}
