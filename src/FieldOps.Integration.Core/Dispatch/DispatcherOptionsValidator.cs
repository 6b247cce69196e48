using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Core.Dispatch;

/// <summary>Checks the <c>Dispatcher</c> section's times and the rules that span fields, naming the values found.</summary>
internal sealed class DispatcherOptionsValidator : IValidateOptions<DispatcherOptions>
{
    public ValidateOptionsResult Validate(string? name, DispatcherOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        Positive(errors, nameof(options.MaxAge), options.MaxAge);
        Positive(errors, nameof(options.BaseDelay), options.BaseDelay);
        Positive(errors, nameof(options.MaxDelay), options.MaxDelay);
        Positive(errors, nameof(options.LeaseDuration), options.LeaseDuration);
        Positive(errors, nameof(options.PollInterval), options.PollInterval);
        Positive(errors, nameof(options.XrefWaitLimit), options.XrefWaitLimit);
        Positive(errors, nameof(options.XrefRecheckInterval), options.XrefRecheckInterval);
        Positive(errors, nameof(options.ShutdownTimeout), options.ShutdownTimeout);
        Positive(errors, nameof(options.BreakerBreakDuration), options.BreakerBreakDuration);
        Positive(errors, nameof(options.BrokenConnectionsRefresh), options.BrokenConnectionsRefresh);
        if (options.BreakerSamplingDuration < TimeSpan.FromMilliseconds(500))
            errors.Add($"Dispatcher:BreakerSamplingDuration: {options.BreakerSamplingDuration} is below 00:00:00.5.");
        if (options.MaxDelay < options.BaseDelay)
            errors.Add($"Dispatcher:MaxDelay: {options.MaxDelay} is below Dispatcher:BaseDelay {options.BaseDelay}.");
        if (options.LeaseDuration <= options.ShutdownTimeout)
            errors.Add($"Dispatcher:LeaseDuration: {options.LeaseDuration} must exceed Dispatcher:ShutdownTimeout {options.ShutdownTimeout}.");
        if (options.MaxAttempts is < 1 or > 1000)
            errors.Add($"Dispatcher:MaxAttempts: {options.MaxAttempts} is out of range 1..1000.");
        if (options.ConcurrencyPerConnector is < 1 or > 256)
            errors.Add($"Dispatcher:ConcurrencyPerConnector: {options.ConcurrencyPerConnector} is out of range 1..256.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Positive(List<string> errors, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
            errors.Add($"Dispatcher:{key}: {value} must be positive.");
    }
}
