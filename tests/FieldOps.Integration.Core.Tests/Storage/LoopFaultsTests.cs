using System.Data.Common;
using FieldOps.Integration.Core.Storage;
using Microsoft.Extensions.Logging;

namespace FieldOps.Integration.Core.Tests.Storage;

public sealed class LoopFaultsTests
{
    [Fact]
    public void Failed_ManyTimes_LogsOnceAndOnceMoreOnRecovery()
    {
        var logger = new ListLogger();
        var faults = new LoopFaults("The router", logger);

        for (var i = 0; i < 50; i++)
            faults.Failed(new IOException("disk full"));
        faults.Succeeded();
        faults.Succeeded();

        Assert.Equal([LogLevel.Error, LogLevel.Warning], logger.Levels);
        Assert.Contains("disk full", logger.Messages[0], StringComparison.Ordinal);
        Assert.Contains("recovered after 50 failed tries", logger.Messages[1], StringComparison.Ordinal);
        Assert.False(faults.Failing);
    }

    [Fact]
    public void Failed_AFaultThatIsNoOutage_IsLoggedAsUnexpectedWithItsStackOncePerStreak()
    {
        var logger = new ListLogger();
        var faults = new LoopFaults("The router", logger);

        for (var i = 0; i < 5; i++)
            faults.Failed(new ArgumentException("a driver refused a parameter"));
        faults.Succeeded();
        faults.Failed(new ArgumentException("again"));

        Assert.Equal([LogLevel.Error, LogLevel.Warning, LogLevel.Error], logger.Levels);
        Assert.StartsWith("The router failed unexpectedly (ArgumentException: a driver refused a parameter)", logger.Messages[0], StringComparison.Ordinal);
        Assert.IsType<ArgumentException>(logger.Exceptions[0]);
    }

    [Fact]
    public void Failed_AnOutageThenAFaultThatIsNoOutage_LogsEachOnce()
    {
        var logger = new ListLogger();
        var faults = new LoopFaults("The router", logger);

        faults.Failed(new IOException("disk full"));
        faults.Failed(new IOException("disk full"));
        faults.Failed(new InvalidOperationException("a bug"));
        faults.Failed(new InvalidOperationException("a bug"));
        faults.Failed(new IOException("disk full"));

        Assert.Equal([LogLevel.Error, LogLevel.Error], logger.Levels);
        Assert.Contains("cannot reach the store", logger.Messages[0], StringComparison.Ordinal);
        Assert.Contains("failed unexpectedly (InvalidOperationException: a bug)", logger.Messages[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Failed_Backoff_DoublesWithJitterAndStaysBounded()
    {
        var low = new LoopFaults("x", new ListLogger(), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2), () => 0.0);
        var high = new LoopFaults("x", new ListLogger(), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2), () => 1.0);
        var ex = new TimeoutException();

        var lows = Enumerable.Range(0, 10).Select(_ => low.Failed(ex).TotalMilliseconds).ToList();
        var highs = Enumerable.Range(0, 10).Select(_ => high.Failed(ex).TotalMilliseconds).ToList();

        Assert.Equal([50, 100, 200, 400, 800, 1000, 1000, 1000, 1000, 1000], lows);
        Assert.Equal([100, 200, 400, 800, 1600, 2000, 2000, 2000, 2000, 2000], highs);
    }

    [Theory]
    [InlineData(typeof(IOException), true)]
    [InlineData(typeof(TimeoutException), true)]
    [InlineData(typeof(HttpRequestException), true)]
    [InlineData(typeof(TestDbException), true)]
    [InlineData(typeof(NullReferenceException), false)]
    [InlineData(typeof(ArgumentException), false)]
    public void IsTransient_StoreAndNetworkFaultsOnly(Type type, bool expected) =>
        Assert.Equal(expected, LoopFaults.IsTransient((Exception)Activator.CreateInstance(type)!));

    [Fact]
    public void IsTransient_LooksAtTheInnerException() =>
        Assert.True(LoopFaults.IsTransient(new InvalidOperationException("wrapped", new TestDbException())));

    public sealed class TestDbException : DbException;

    private sealed class ListLogger : ILogger
    {
        public List<LogLevel> Levels { get; } = [];

        public List<string> Messages { get; } = [];

        public List<Exception?> Exceptions { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Levels.Add(logLevel);
            Messages.Add(formatter(state, exception));
            Exceptions.Add(exception);
        }
    }
}
