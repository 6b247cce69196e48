using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Dispatch;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace FieldOps.Integration.Core.Tests.Dispatch;

public sealed class ConnectorGateTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    private ConnectorGate Gate(RateLimitOptions? limits = null) => new("hubspot", new DispatcherOptions
    {
        BreakerMinimumThroughput = 2, BreakerFailureRatio = 0.5, BreakerBreakDuration = TimeSpan.FromSeconds(30),
    }, limits ?? new RateLimitOptions(), _time, NullLogger.Instance);

    [Fact]
    public void ClaimAllowance_AfterAThrottle_IsZeroUntilTheWaitPasses()
    {
        var gate = Gate();
        gate.PauseUntil(_time.GetUtcNow().AddSeconds(10));

        Assert.Equal(0, gate.ClaimAllowance(8));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(8, gate.ClaimAllowance(8));
    }

    [Fact]
    public async Task ClaimAllowance_BreakerOpen_IsZeroThenOneProbeAfterTheBreak()
    {
        var gate = Gate();
        for (var i = 0; i < 2; i++)
            await gate.Pipeline.ExecuteAsync(_ => ValueTask.FromResult(DeliveryOutcome.Transient("503")));

        Assert.True(gate.IsBreakerOpen);
        Assert.Equal(0, gate.ClaimAllowance(8));
        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(1, gate.ClaimAllowance(8));
    }

    [Fact]
    public void DefaultsFor_Vendors_FollowThePublishedLimits()
    {
        Assert.Equal((100, TimeSpan.FromSeconds(10)), (RateLimitOptions.DefaultsFor("hubspot").PermitLimit!.Value, RateLimitOptions.DefaultsFor("hubspot").Window));
        Assert.Equal(10, RateLimitOptions.DefaultsFor("quickbooks").MaxConcurrency);
        Assert.Equal(500, RateLimitOptions.DefaultsFor("quickbooks").PermitLimit);
        Assert.Null(RateLimitOptions.DefaultsFor("bamboohr").PermitLimit);
    }
}
