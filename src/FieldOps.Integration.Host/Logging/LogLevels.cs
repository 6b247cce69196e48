using Serilog.Events;

namespace FieldOps.Integration.Host.Logging;

/// <summary><c>Logging:Level</c>: one of Serilog's level names (any case); anything else stops the start.</summary>
internal static class LogLevels
{
    public static LogEventLevel Parse(string? written)
    {
        if (string.IsNullOrEmpty(written))
            return LogEventLevel.Information;
        // Names only: Enum.TryParse would also take "99", a level that silences every log line.
        foreach (var level in Enum.GetValues<LogEventLevel>())
        {
            if (level.ToString().Equals(written.Trim(), StringComparison.OrdinalIgnoreCase))
                return level;
        }
        throw new Startup.ConfigurationException(
            $"Logging:Level: '{written}' is not one of {string.Join(", ", Enum.GetNames<LogEventLevel>())}.");
    }
}
