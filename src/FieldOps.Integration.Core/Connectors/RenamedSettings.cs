using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Core.Connectors;

/// <summary>
/// Settings that were renamed so that every connector uses the same names (<c>BaseUrl</c>, <c>Timeout</c>): the old
/// name still works when the new one is absent, and the service says at start which key to rename.
/// </summary>
public static partial class RenamedSettings
{
    /// <summary>
    /// Reads each <c>{section}:{Old}</c> into the options as <c>{New}</c> when <c>{section}:{New}</c> is not set, and
    /// logs a warning at start naming both keys.
    /// </summary>
    public static OptionsBuilder<TOptions> WithRenamedSettings<TOptions>(
        this OptionsBuilder<TOptions> builder, IConfiguration configuration, string sectionName, params (string Old, string New)[] renamed)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        foreach (var (old, current) in renamed)
            builder.Services.AddSingleton(new RenamedSetting($"{sectionName}:{old}", $"{sectionName}:{current}"));
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RenamedSettingsWarning>());
        return builder.PostConfigure(options =>
        {
            foreach (var (old, current) in renamed)
            {
                if (configuration[$"{sectionName}:{old}"] is { } value && configuration[$"{sectionName}:{current}"] is null)
                    new ConfigurationBuilder().AddInMemoryCollection([new(current, value)]).Build().Bind(options);
            }
        });
    }

    /// <summary>One renamed key, in full (<c>Connectors:QuickBooks:RequestTimeout</c> → <c>Connectors:QuickBooks:Timeout</c>).</summary>
    public sealed record RenamedSetting(string OldKey, string NewKey);

    private sealed partial class RenamedSettingsWarning(IEnumerable<RenamedSetting> renamed, IConfiguration configuration, ILogger<RenamedSetting> logger)
        : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            foreach (var setting in renamed.Where(s => configuration[s.OldKey] is not null))
                LogRenamed(logger, setting.OldKey, setting.NewKey, setting.NewKey.Replace(":", "__", StringComparison.Ordinal));
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Warning, Message = "Configuration: {OldKey} is deprecated and still read; rename it to {NewKey} (environment: {Variable})")]
        private static partial void LogRenamed(ILogger logger, string oldKey, string newKey, string variable);
    }
}
