using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace FieldOps.Integration.Host.Logging;

/// <summary>Serilog to the console: plain text by default, compact JSON when <c>Logging:Format</c> is <c>json</c>.</summary>
internal static class LoggingSetup
{
    private const string PlainTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    public static WebApplicationBuilder AddFieldOpsLogging(this WebApplicationBuilder builder)
    {
        var format = builder.Configuration["Logging:Format"] ?? "text";
        var json = format.Equals("json", StringComparison.OrdinalIgnoreCase);
        if (!json && !format.Equals("text", StringComparison.OrdinalIgnoreCase))
            throw new Startup.ConfigurationException($"Logging:Format: '{format}' is not one of text, json.");
        var level = Enum.TryParse<LogEventLevel>(builder.Configuration["Logging:Level"], ignoreCase: true, out var parsed)
            ? parsed
            : LogEventLevel.Information;
        builder.Services.AddSerilog(logger =>
        {
            logger.MinimumLevel.Is(level)
                .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.Extensions.Http", LogEventLevel.Warning)
                .MinimumLevel.Override("System.Net.Http", LogEventLevel.Warning)
                .Enrich.FromLogContext()
                // A port in use is one line from `fieldops run`, not the host's stack trace.
                .Filter.ByExcluding(e => Cli.RunCommand.IsAddressInUse(e.Exception));
            if (json)
                logger.WriteTo.Console(new CompactJsonFormatter());
            else
                logger.WriteTo.Console(outputTemplate: PlainTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        });
        return builder;
    }
}
