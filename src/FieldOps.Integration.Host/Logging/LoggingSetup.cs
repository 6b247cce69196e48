using FieldOps.Integration.Core.Secrets;
using Serilog;
using Serilog.Events;
using Serilog.Templates;

namespace FieldOps.Integration.Host.Logging;

/// <summary>
/// Serilog to the console: plain text by default, or one JSON object per line when <c>Logging:Format</c> is <c>json</c>,
/// with the rendered message (<c>@m</c>), the level on every line (<c>@l</c>, Information too), the UTC timestamp
/// (<c>@t</c>), the exception (<c>@x</c>) and every property (<c>InboxEventId</c>, <c>OutboxMessageId</c>, …) at the top level.
/// Every event passes the <see cref="SecretScrubber"/> before it is written.
/// </summary>
internal static class LoggingSetup
{
    /// <summary>
    /// The text line; a line written in an event's trace ends with <c>trace {id}</c> (the span's, or the <c>TraceId</c>
    /// a log scope names where the span has ended), so one grep finds the event's lines in every process.
    /// </summary>
    private const string PlainTemplate =
        "[{@t:HH:mm:ss} {@l:u3}] {SourceContext}: {@m}{#if Coalesce(@tr, TraceId) is not null} trace {Coalesce(@tr, TraceId)}{#end}\n{@x}";

    /// <summary>The JSON line: <c>@mt</c> is left out (the rendered message says it), as is the renderings list; <c>@tr</c>/<c>@sp</c> when in a span.</summary>
    private const string JsonTemplate = "{ {@t: UtcDateTime(@t), @l: @l, @m: @m, @x: @x, @tr: @tr, @sp: @sp, ..@p} }\n";

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
                .MinimumLevel.Override("Quartz", LogEventLevel.Warning)
                // The health check service logs an error on every probe while a check fails; /health/ready answers with
                // the reason, and the failing loops log once per state change, so a store outage is not a line per probe.
                .MinimumLevel.Override("Microsoft.Extensions.Diagnostics.HealthChecks", LogEventLevel.Fatal)
                .Enrich.FromLogContext()
                // A port in use is one line from `fieldops run`, not the host's stack trace.
                .Filter.ByExcluding(e => Cli.RunCommand.IsAddressInUse(e.Exception));
            logger.WriteTo.Sink(Serilog.Configuration.LoggerSinkConfiguration.Wrap(sink => new ScrubbingSink(sink, scrubber), to =>
            {
                if (json)
                    to.Console(new ExpressionTemplate(JsonTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture));
                else
                    to.Console(new ExpressionTemplate(PlainTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture));
            }));
        });
        return builder;
    }
}
