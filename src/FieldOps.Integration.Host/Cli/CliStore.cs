using FieldOps.Integration.Core.Credentials;
using FieldOps.Integration.Core.Storage;
using FieldOps.Integration.Core.Operations;
using FieldOps.Integration.Host.Startup;
using FieldOps.Integration.Storage;
using FieldOps.Integration.Storage.Credentials;
using FieldOps.Integration.Storage.Operations;

namespace FieldOps.Integration.Host.Cli;

/// <summary>
/// The operator's services over the store of the configured <c>Store:*</c> — directly, not through HTTP — for the
/// <c>deadletters</c> and <c>reroute</c> verbs.
/// </summary>
internal static class CliStore
{
    /// <summary>The services, or null after printing the one-line reason (exit code 2).</summary>
    public static async Task<ServiceProvider?> OpenAsync(IConfiguration configuration, string verb)
    {
        if (MissingDatabase(configuration, verb) is { } missing)
        {
            await Console.Error.WriteLineAsync(missing).ConfigureAwait(false);
            return null;
        }
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging();
        if (ScrubbingConsole.Active is { } scrubber)
            services.AddSingleton(scrubber);
        services.AddFieldOpsStore().AddDispatchStores().AddOperationsStore().AddFieldOpsOperations().AddFieldOpsCredentials().AddKeyRingCertificate(configuration);
        var provider = services.BuildServiceProvider();
        try
        {
            var problem = await provider.GetRequiredService<IStoreHealth>().CheckAsync(CancellationToken.None).ConfigureAwait(false);
            if (problem is null)
            {
                // What this tool prints is scrubbed of every stored token too, not only of configured secrets.
                await StoredTokens.TeachScrubberAsync(provider.GetRequiredService<ITokenStore>(), provider.GetRequiredService<TokenProtector>(), CancellationToken.None)
                    .ConfigureAwait(false);
                return provider;
            }
            await Console.Error.WriteLineAsync($"fieldops {verb}: the store is not ready: {problem}").ConfigureAwait(false);
        }
        catch (Exception ex) when (ConfigurationErrors.TryDescribe(ex, out var lines))
        {
            foreach (var line in lines)
                await Console.Error.WriteLineAsync($"Configuration error: {line}").ConfigureAwait(false);
        }
        await provider.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    /// <summary>
    /// A verb that reads the store never creates one: with SQLite, a database file that does not exist is an error
    /// naming the path and the folder it was looked for from (usually the wrong working folder). Null when it exists,
    /// or for PostgreSQL, whose missing database the store check reports.
    /// </summary>
    public static string? MissingDatabase(IConfiguration configuration, string verb)
    {
        var options = configuration.GetSection(StoreOptions.SectionName).Get<StoreOptions>() ?? new StoreOptions();
        if (options.Provider != StoreProvider.Sqlite)
            return null;
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(options.EffectiveConnectionString);
        if (builder.Mode == Microsoft.Data.Sqlite.SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:")
            return null;
        var path = Path.GetFullPath(builder.DataSource);
        return File.Exists(path)
            ? null
            : $"fieldops {verb}: no database at {path} (Store:ConnectionString '{builder.DataSource}', looked for from {Directory.GetCurrentDirectory()}); "
              + "run this command in the folder the service runs in, or set Store__ConnectionString. Nothing was created.";
    }

    /// <summary>Removes the flags (options without a value) from <paramref name="args"/>; returns which were present.</summary>
    public static (string[] Remaining, HashSet<string> Present) Flags(string[] args, params string[] flags)
    {
        var present = args.Where(flags.Contains).ToHashSet(StringComparer.Ordinal);
        return (args.Where(a => !flags.Contains(a)).ToArray(), present);
    }

    /// <summary>The dead-letter filter from <c>--connector --flow --class --from --to</c>, or null after printing why not.</summary>
    public static DeadLetterFilter? Filter(Dictionary<string, string> options, string verb)
    {
        var (filter, error) = Admin.AdminQuery.Filter(k => options.GetValueOrDefault("--" + k));
        if (error is not null)
            Console.Error.WriteLine($"fieldops {verb}: {error}");
        return filter;
    }
}
