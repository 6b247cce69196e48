using FieldOps.Integration.Core.Secrets;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace FieldOps.Integration.Host.Logging;

/// <summary>
/// Serilog to the console: plain text by default, compact JSON when <c>Logging:Format</c> is <c>json</c>. Every
/// event passes the <see cref="SecretScrubber"/> before it is written.
/// </summary>
internal static class LoggingSetup
{
    private const string PlainTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    public static WebApplicationBuilder AddFieldOpsLogging(this WebApplicationBuilder builder)
    {
        var format = builder.Configuration["Logging:Format"] ?? "text";
        var json = format.Equals("json", StringComparison.OrdinalIgnoreCase);
        if (!json && !format.Equals("text", StringComparison.OrdinalIgnoreCase))
            throw new Startup.ConfigurationException($"Logging:Format: '{format}' is not one of text, json.");
        var level = LogLevels.Parse(builder.Configuration["Logging:Level"]);
        builder.Services.AddSecretScrubber();
        builder.Services.AddSerilog((services, logger) =>
        {
            var scrubber = services.GetRequiredService<SecretScrubber>();
            logger.MinimumLevel.Is(level)
                .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.Extensions.Http", LogEventLevel.Warning)
                .MinimumLevel.Override("System.Net.Http", LogEventLevel.Warning)
                .Enrich.FromLogContext();
            logger.WriteTo.Sink(Serilog.Configuration.LoggerSinkConfiguration.Wrap(sink => new ScrubbingSink(sink, scrubber), to =>
            {
                if (json)
                    to.Console(new CompactJsonFormatter());
                else
                    to.Console(outputTemplate: PlainTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
            }));
        });
        return builder;
    }
}
