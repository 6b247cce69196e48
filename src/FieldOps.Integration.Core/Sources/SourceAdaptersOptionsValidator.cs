using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Core.Sources;

/// <summary>Checks each source's poll schedule, naming the key and the value found.</summary>
internal sealed class SourceAdaptersOptionsValidator : IValidateOptions<SourceAdaptersOptions>
{
    public ValidateOptionsResult Validate(string? name, SourceAdaptersOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var (source, adapter) in options)
        {
            var poll = adapter.Poll;
            if (!poll.IsEnabled)
                continue;
            var key = $"Sources:{source}:Poll";
            if (poll.Interval is null == string.IsNullOrWhiteSpace(poll.Cron))
                failures.Add($"{key}: set exactly one of Interval and Cron (found Interval '{poll.Interval}', Cron '{poll.Cron}').");
            if (poll.Interval is { } interval && interval <= TimeSpan.Zero)
                failures.Add($"{key}:Interval: '{interval}' must be positive.");
            if (poll.MaxPagesPerRun < 1)
                failures.Add($"{key}:MaxPagesPerRun: {poll.MaxPagesPerRun} must be at least 1.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
