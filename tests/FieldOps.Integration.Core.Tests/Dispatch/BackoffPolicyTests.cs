using FieldOps.Integration.Core.Dispatch;

namespace FieldOps.Integration.Core.Tests.Dispatch;

public sealed class BackoffPolicyTests
{
    [Theory]
    [InlineData(1, 1000)]
    [InlineData(2, 2000)]
    [InlineData(4, 8000)]
    [InlineData(10, 30000)]
    [InlineData(500, 30000)]
    public void Next_WithTheLargestJitter_IsTheCappedExponentialCeiling(int attempt, int expectedMs)
    {
        var backoff = new BackoffPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), () => 1.0);

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), backoff.Next(attempt));
    }

    [Fact]
    public void Next_FullJitter_SpreadsBetweenZeroAndTheCeiling()
    {
        var backoff = new BackoffPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

        var waits = Enumerable.Range(0, 200).Select(_ => backoff.Next(3)).ToList();

        Assert.All(waits, w => Assert.InRange(w, TimeSpan.Zero, TimeSpan.FromSeconds(4)));
        Assert.True(waits.Distinct().Count() > 100);
        Assert.Contains(waits, w => w < TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Next_WithRetryAfter_WaitsWhatTheTargetAsked()
    {
        var backoff = new BackoffPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), () => 0.5);

        Assert.Equal(TimeSpan.FromSeconds(60), backoff.Next(1, TimeSpan.FromSeconds(60)));
    }
}
