using System.Globalization;
using FieldOps.Integration.Core.Intake;
using FieldOps.Integration.Core.Sources;
using FieldOps.Integration.Host.Sources;
using FieldOps.Integration.Storage;
using FieldOps.Integration.Storage.Migrations;
using FieldOps.Integration.Storage.Sources;

namespace FieldOps.Integration.Host.Cli;

/// <summary>
/// <c>fieldops sources</c>: each source's watermark, last run, last error and lag, read from the store.
/// <c>fieldops sources rewind {name} --to 2026-01-01T00:00:00Z</c>: the next poll replays from there (duplicates are
/// skipped, so replaying has no duplicate effects).
/// </summary>
internal static class SourcesCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (CliConfiguration.Parse(args, "--to") is not { } parsed)
            return Usage();
        var configuration = CliConfiguration.Load();
        if (CliStore.MissingDatabase(configuration, "sources") is { } missing)
        {
            await Console.Error.WriteLineAsync(missing).ConfigureAwait(false);
            return 2;
        }
        var services = new ServiceCollection()
            .AddSingleton(configuration)
            .AddLogging()
            .AddFieldOpsStore()
            .AddSourceStores();
        services.AddOptions<SourceAdaptersOptions>().BindConfiguration(SourceAdaptersOptions.SectionName);
        await using var provider = services.BuildServiceProvider();
        // The same migrations the service applies, to a database that exists (an older schema is brought up to date).
        await provider.GetRequiredService<MigrationRunner>().MigrateAsync(CancellationToken.None).ConfigureAwait(false);
        var store = provider.GetRequiredService<ISourceStore>();
        var adapters = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<SourceAdaptersOptions>>().Value;
        return parsed.Positional switch
        {
            [] or ["list"] => await ListAsync(store, configuration, adapters).ConfigureAwait(false),
            ["rewind", var name] when parsed.Options.TryGetValue("--to", out var to) => await RewindAsync(store, adapters, name, to).ConfigureAwait(false),
            _ => Usage(),
        };
    }

    private static async Task<int> ListAsync(ISourceStore store, IConfiguration configuration, SourceAdaptersOptions adapters)
    {
        var kinds = configuration.GetSection(SourcesOptions.SectionName).GetChildren()
            .ToDictionary(s => s.Key, s => s["Kind"] ?? "", StringComparer.OrdinalIgnoreCase);
        var statuses = SourceStatus.Build(kinds, adapters, await store.ListWatermarksAsync(CancellationToken.None).ConfigureAwait(false), TimeProvider.System.GetUtcNow());
        Console.Out.WriteLine($"{"SOURCE",-16} {"KIND",-10} {"POLL",-6} {"WATERMARK",-25} {"LAG",-14} {"LAST RUN",-25} {"RECORDS",8}  {"LAST RUN BY",-24}  LAST ERROR");
        foreach (var s in statuses)
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{s.Source,-16} {s.Kind,-10} {s.PollAdapter ?? "-",-6} {Time(s.Watermark),-25} {Lag(s.Lag),-14} {Time(s.LastRunAt),-25} {s.RecordsTotal,8}  {s.LastRunBy ?? "-",-24}  {s.LastErrors ?? (s.SweepOpen ? $"(sweep open at {s.SweepCursor ?? "first page"})" : "")}"));
        }
        return 0;
    }

    private static async Task<int> RewindAsync(ISourceStore store, SourceAdaptersOptions adapters, string name, string to)
    {
        if (!DateTimeOffset.TryParse(to, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            Console.Error.WriteLine($"fieldops sources rewind: '{to}' is not a time (e.g. 2026-01-01T00:00:00Z).");
            return 2;
        }
        if (SourcesEndpoints.Polled(adapters, name) is not { } source)
        {
            Console.Error.WriteLine($"fieldops sources rewind: source '{name}' is not polled (Sources:{name}:Poll:Adapter).");
            return 2;
        }
        await store.RewindAsync(source, instant, TimeProvider.System.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        Console.Out.WriteLine($"{source}: watermark set to {instant.UtcDateTime:O}; the next poll replays from there.");
        return 0;
    }

    private static string Time(DateTimeOffset? t) => t is { } v ? v.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) : "-";

    private static string Lag(TimeSpan? lag) => lag is { } l ? l.ToString(@"d\.hh\:mm\:ss", CultureInfo.InvariantCulture) : "-";

    private static int Usage()
    {
        Console.Error.WriteLine("usage: fieldops sources [list] | fieldops sources rewind <name> --to <time>");
        return 2;
    }
}
