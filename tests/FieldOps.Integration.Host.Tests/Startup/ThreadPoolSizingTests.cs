using FieldOps.Integration.Host.Startup;
using Microsoft.Extensions.Configuration;

namespace FieldOps.Integration.Host.Tests.Startup;

/// <summary>
/// The service keeps worker threads ready for the work that blocks a thread (SQLite's calls): without them a webhook's
/// acknowledgement waited in the pool's queue behind the pipeline's blocked threads (issue 15).
/// </summary>
public sealed class ThreadPoolSizingTests
{
    [Fact]
    public void Apply_WithNothingConfigured_KeepsTheDefaultReady()
    {
        var minimum = ThreadPoolSizing.Apply(Configuration(null));

        ThreadPool.GetMinThreads(out var workers, out _);
        Assert.True(workers >= ThreadPoolSizing.Default, $"the pool keeps {workers} worker threads ready");
        Assert.Equal(workers, minimum);
    }

    [Fact]
    public void Apply_WithANumber_RaisesTheMinimumToIt()
    {
        var minimum = ThreadPoolSizing.Apply(Configuration("24"));

        ThreadPool.GetMinThreads(out var workers, out _);
        Assert.True(workers >= 24, $"the pool keeps {workers} worker threads ready");
        Assert.Equal(workers, minimum);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-4")]
    [InlineData("lots")]
    [InlineData("2000")]
    [InlineData("8.5")]
    public void Apply_WithABadValue_NamesTheKey(string value)
    {
        var error = Assert.Throws<ConfigurationException>(() => ThreadPoolSizing.Apply(Configuration(value)));

        Assert.StartsWith($"ThreadPool:MinWorkerThreads: '{value}' is not a whole number from 1 to 1024", error.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(string? minWorkerThreads) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [ThreadPoolSizing.Key] = minWorkerThreads }).Build();
}
