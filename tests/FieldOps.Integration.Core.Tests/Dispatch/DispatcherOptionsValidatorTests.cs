using FieldOps.Integration.Core.Dispatch;

namespace FieldOps.Integration.Core.Tests.Dispatch;

public sealed class DispatcherOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeed() =>
        Assert.True(new DispatcherOptionsValidator().Validate(null, new DispatcherOptions()).Succeeded);

    [Fact]
    public void Validate_LeaseShorterThanShutdown_FailsNamingBothValues()
    {
        var result = new DispatcherOptionsValidator().Validate(null, new DispatcherOptions
        {
            LeaseDuration = TimeSpan.FromSeconds(10), ShutdownTimeout = TimeSpan.FromSeconds(20),
        });

        Assert.True(result.Failed);
        Assert.Contains("Dispatcher:LeaseDuration: 00:00:10 must exceed Dispatcher:ShutdownTimeout 00:00:20", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NegativeTimesAndCapBelowBase_FailWithEachKey()
    {
        var result = new DispatcherOptionsValidator().Validate(null, new DispatcherOptions
        {
            PollInterval = TimeSpan.Zero, BaseDelay = TimeSpan.FromMinutes(5), MaxDelay = TimeSpan.FromMinutes(1), MaxAttempts = 0,
        });

        Assert.Contains("Dispatcher:PollInterval", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Dispatcher:MaxDelay: 00:01:00 is below Dispatcher:BaseDelay 00:05:00", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Dispatcher:MaxAttempts: 0", result.FailureMessage, StringComparison.Ordinal);
    }
}
