using FieldOps.Integration.Host.Startup;
using Microsoft.Extensions.Configuration;

namespace FieldOps.Integration.Host.Tests.Startup;

/// <summary>
/// On SQLite the service raises the thread pool's minimum for the calls that block a thread: with .NET's one per core a
/// webhook's acknowledgement waited in the pool's queue behind the pipeline's blocked threads (issue 15). On a server
/// database, whose driver does not block, it leaves .NET's minimum unless configured.
/// </summary>
public sealed class ThreadPoolSizingTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("", "Sqlite")]
    [InlineData("   ", "sqlite")]
    [InlineData(null, "Oracle")]
    public void Read_WithNothingConfiguredOnSqlite_Is16(string? value, string? provider) =>
        Assert.Equal(16, ThreadPoolSizing.Read(Configuration(value, provider)));

    [Theory]
    [InlineData("Postgres")]
    [InlineData("postgres")]
    [InlineData("SqlServer")]
    public void Read_WithNothingConfiguredOnAServerDatabase_LeavesDotNetsMinimum(string provider) =>
        Assert.Null(ThreadPoolSizing.Read(Configuration(null, provider)));

    [Fact]
    public void Read_WithANumberOnAServerDatabase_IsThatNumber() =>
        Assert.Equal(8, ThreadPoolSizing.Read(Configuration("8", "Postgres")));

    [Theory]
    [InlineData("24", 24)]
    [InlineData(" 32 ", 32)]
    [InlineData("1", 1)]
    [InlineData("1024", 1024)]
    public void Read_WithAWholeNumber_IsThatNumber(string value, int expected) =>
        Assert.Equal(expected, ThreadPoolSizing.Read(Configuration(value)));

    [Theory]
    [InlineData("0")]
    [InlineData("-4")]
    [InlineData("lots")]
    [InlineData("1025")]
    [InlineData("8.5")]
    public void Read_WithABadValue_NamesTheKey(string value)
    {
        var error = Assert.Throws<ConfigurationException>(() => ThreadPoolSizing.Read(Configuration(value)));

        Assert.StartsWith($"ThreadPool:MinWorkerThreads: '{value}' is not a whole number from 1 to 1024", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_WithANumber_RaisesThePoolsMinimumToIt()
    {
        // Hosts built by other tests of this process apply the default at the same time; they only ever raise the minimum.
        var minimum = ThreadPoolSizing.Apply(Configuration("24"));

        ThreadPool.GetMinThreads(out var workers, out _);
        Assert.True(workers >= 24, $"the pool's minimum is {workers}");
        Assert.True(minimum >= 24, $"Apply says the minimum is {minimum}");
    }

    private static IConfiguration Configuration(string? minWorkerThreads, string? provider = null) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [ThreadPoolSizing.Key] = minWorkerThreads,
            ["Store:Provider"] = provider,
        }).Build();
}
