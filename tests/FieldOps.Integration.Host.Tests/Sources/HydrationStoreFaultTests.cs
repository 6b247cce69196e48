using System.Net;
using FieldOps.Integration.Host.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace FieldOps.Integration.Host.Tests.Sources;

/// <summary>
/// Hydration while the store cannot be written (issue 12, item 3): a thin Jobber webhook is acknowledged, then the
/// SQLite file is taken by another writer while Jobber answers the fetch, so the write-back fails. The host stays up, says
/// not ready while it cannot write, fetches the record again once the store is back, and routes the event once.
/// </summary>
public sealed class HydrationStoreFaultTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly FakeJobber _jobber = new();
    private readonly TempDirectory _keys = new();
    private readonly FieldOpsFactory _factory;
    private readonly SqliteConnection _holder;
    private readonly TaskCompletionSource _locked = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HydrationStoreFaultTests()
    {
        var settings = _jobber.Settings(_keys.Path);
        settings["Store:BusyTimeout"] = "00:00:00.200";
        _factory = new FieldOpsFactory(settings);
        _holder = new SqliteConnection($"Data Source={_factory.DatabasePath};Pooling=False");
        // Jobber answers the fetch only once another writer holds the store: the write-back of the record must fail.
        _jobber.ServeAfter("job", JobberRecords.JobId, JobberRecords.Job(), () =>
        {
            _holder.Open();
            using var begin = _holder.CreateCommand();
            begin.CommandText = "BEGIN EXCLUSIVE";
            begin.ExecuteNonQuery();
            _locked.SetResult();
        });
    }

    [Fact]
    public async Task Hydration_WriteBackWhileTheStoreIsLocked_HostStaysUp_RecordFetchedAgainAndRoutedOnce()
    {
        using var client = _factory.CreateClient();
        await JobberHydrationTests.PostAsync(client, JobberHydrationTests.JobClosed("2025-03-14T17:10:00-06:00"));

        await _locked.Task.WaitAsync(Timeout);
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // the write-back fails (busy) and is scheduled again
        using (var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative)))
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("awaiting_hydration", Assert.Single(StoreProbe.Inbox(_factory.DatabasePath)).State);
        using (var rollback = _holder.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK";
            rollback.ExecuteNonQuery();
        }
        _holder.Close();

        await StoreProbe.WaitUntilAsync(() => StoreProbe.Inbox(_factory.DatabasePath).Single().State == "routed", Timeout,
            () => $"{StoreProbe.Inbox(_factory.DatabasePath).Single().State}; GraphQL calls {_jobber.GraphQLCalls}");
        Assert.True(_jobber.GraphQLCalls >= 2, $"{_jobber.GraphQLCalls} fetch(es)"); // fetched again: the first write-back never committed
        // Routed once: every operation of every flow has one outbox row.
        using (var probe = new SqliteConnection($"Data Source={_factory.DatabasePath};Pooling=False"))
        {
            probe.Open();
            using var count = probe.CreateCommand();
            count.CommandText = "SELECT COUNT(*), COUNT(DISTINCT flow || '|' || operation_key) FROM outbox";
            using var reader = count.ExecuteReader();
            Assert.True(reader.Read());
            Assert.True(reader.GetInt64(0) > 0);
            Assert.Equal(reader.GetInt64(0), reader.GetInt64(1));
        }
        using (var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative)))
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using (var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative)))
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    public void Dispose()
    {
        _factory.Dispose();
        _holder.Dispose();
        _jobber.Dispose();
        _keys.Dispose();
    }
}
