using FieldOps.Integration.Core.Storage;
using FieldOps.Integration.Core.Operations;
using FieldOps.Integration.Host.Startup;
using FieldOps.Integration.Storage;
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
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging();
        services.AddFieldOpsStore().AddDispatchStores().AddOperationsStore().AddFieldOpsOperations();
        var provider = services.BuildServiceProvider();
        try
        {
            var problem = await provider.GetRequiredService<IStoreHealth>().CheckAsync(CancellationToken.None).ConfigureAwait(false);
            if (problem is null)
                return provider;
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
