using FieldOps.Integration.Core.Connectors;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Core.Tests.Connectors;

/// <summary>Old option names (before every connector used <c>BaseUrl</c> and <c>Timeout</c>) keep working, with a warning.</summary>
public sealed class RenamedSettingsTests
{
    [Fact]
    public async Task OldName_Alone_IsReadAsTheNewOne_AndStartWarnsNamingBothKeys()
    {
        var (options, warnings) = await StartAsync(new() { ["Connectors:Acme:RequestTimeout"] = "00:00:07" });
        Assert.Equal(TimeSpan.FromSeconds(7), options.Timeout);
        var warning = Assert.Single(warnings);
        Assert.Contains("Connectors:Acme:RequestTimeout is deprecated", warning, StringComparison.Ordinal);
        Assert.Contains("Connectors:Acme:Timeout", warning, StringComparison.Ordinal);
        Assert.Contains("Connectors__Acme__Timeout", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewName_WinsOverTheOldOne_AndOnlyTheOldOneIsWarnedAbout()
    {
        var (options, warnings) = await StartAsync(new() { ["Connectors:Acme:RequestTimeout"] = "00:00:07", ["Connectors:Acme:Timeout"] = "00:00:09" });
        Assert.Equal(TimeSpan.FromSeconds(9), options.Timeout);
        Assert.Single(warnings);
    }

    [Fact]
    public async Task NewName_Alone_NoWarning()
    {
        var (options, warnings) = await StartAsync(new() { ["Connectors:Acme:Timeout"] = "00:00:09" });
        Assert.Equal(TimeSpan.FromSeconds(9), options.Timeout);
        Assert.Empty(warnings);
    }

    private static async Task<(AcmeOptions Options, List<string> Warnings)> StartAsync(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var warnings = new List<string>();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.AddProvider(new ListLoggerProvider(warnings)));
        services.AddOptions<AcmeOptions>().Bind(configuration.GetSection("Connectors:Acme"))
            .WithRenamedSettings(configuration, "Connectors:Acme", ("RequestTimeout", "Timeout"));
        await using var provider = services.BuildServiceProvider();
        foreach (var hosted in provider.GetServices<IHostedService>())
            await hosted.StartAsync(CancellationToken.None);
        return (provider.GetRequiredService<IOptions<AcmeOptions>>().Value, warnings);
    }

    private sealed class AcmeOptions
    {
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
    }

    private sealed class ListLoggerProvider(List<string> warnings) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(warnings);

        public void Dispose() { }

        private sealed class ListLogger(List<string> warnings) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                    warnings.Add(formatter(state, exception));
            }
        }
    }
}
