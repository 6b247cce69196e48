using System.Data.Common;
using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Storage.Inbox;
using FieldOps.Integration.Storage.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace FieldOps.Integration.Storage.Tests.Inbox;

public sealed class SqliteInboxStoreTests : InboxStoreContract
{
    protected override TestDatabase NewDatabase() => new SqliteTestDatabase();

    [Fact] public Task Append_NewEvent_IsStoredAsReceived_Sqlite() => Append_NewEvent_IsStoredAsReceived();
    [Fact] public Task Append_SameKeyTwice_ReturnsTheFirstIdAndStoresOne_Sqlite() => Append_SameKeyTwice_ReturnsTheFirstIdAndStoresOne();
    [Fact] public Task Append_ManyConcurrently_GroupCommitsEachOnce_Sqlite() => Append_ManyConcurrently_GroupCommitsEachOnce();
    [Fact] public Task Migrate_Twice_AppliesNothingTheSecondTime_Sqlite() => Migrate_Twice_AppliesNothingTheSecondTime();
    [Fact] public Task ClaimNew_TwoRouters_EachEventToOne_UntilTheLeaseExpires_Sqlite() => ClaimNew_TwoRouters_EachEventToOne_UntilTheLeaseExpires();
    [Fact] public Task Routing_SameRowsTwice_WritesThemOnce_Sqlite() => Routing_SameRowsTwice_WritesThemOnceAndMarksTheEventRouted();
    [Fact] public Task Routing_SecondCommitOfAnEventNoLongerNew_WritesNothing_Sqlite() => Routing_SecondCommitOfAnEventNoLongerNew_WritesNothing();
    [Fact] public Task Routing_GroupOfEvents_CommitsEachInOrderAndChecksVersionsAcrossTheGroup_Sqlite() => Routing_GroupOfEvents_CommitsEachInOrderAndChecksVersionsAcrossTheGroup();
    [Fact] public Task Routing_VersionRecordedForTheEventBefore_AndAPartlyFailedEvent_AreRoutedWithTheirRows_Sqlite() => Routing_VersionRecordedForTheEventBefore_AndAPartlyFailedEvent_AreRoutedWithTheirRows();
    [Fact] public Task Routing_EventNoLongerNewWithAVersion_WritesNoRowsAndRecordsNoVersion_Sqlite() => Routing_EventNoLongerNewWithAVersion_WritesNoRowsAndRecordsNoVersion();
    [Fact] public Task Routing_PartlyFailedEventWithAnOlderVersion_EndsStaleWithoutRows_Sqlite() => Routing_PartlyFailedEventWithAnOlderVersion_EndsStaleWithoutRows();
    [Fact] public Task Routing_MarkParked_KeepsTheReason_Sqlite() => Routing_MarkParked_KeepsTheReason();

    /// <summary>
    /// A store fault the intake's writer did not foresee (here no permission on the store's folder: an
    /// <see cref="UnauthorizedAccessException"/>, which is not an <see cref="IOException"/>) answers the webhooks it held
    /// as the store being unavailable (a 503 the sender retries) and leaves the writer running: the next webhook is stored.
    /// Before, the writer's loop ended on it and every later webhook waited for ever.
    /// </summary>
    [Fact]
    public async Task Append_UnforeseenStoreFault_AnswersUnavailable_AndTheNextWebhookIsStored_Sqlite()
    {
        await using var db = await new SqliteTestDatabase().InitializeAsync();
        await using var inbox = new InboxStore(new FailsToOpenOnce(db.Connections), db.Options, NullLogger<InboxStore>.Instance);

        await Assert.ThrowsAsync<InboxUnavailableException>(() =>
            inbox.AppendAsync(Event("first", "{}"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
        var next = await inbox.AppendAsync(Event("second", "{}"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(next.IsDuplicate);
        Assert.Equal("second", (await inbox.GetAsync(next.EventId, CancellationToken.None))!.DedupKey);
    }

    /// <summary>The store's connections, the first open refused as a folder without permission refuses it.</summary>
    private sealed class FailsToOpenOnce(IStoreConnections inner) : IStoreConnections
    {
        private int _opens;

        public Core.Storage.StoreProvider Provider => inner.Provider;

        public FieldOps.Integration.Storage.Dialects.SqlDialect Dialect => inner.Dialect;

        public Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => Interlocked.Increment(ref _opens) == 1
            ? throw new UnauthorizedAccessException("Access to the path '/var/lib/fieldops' is denied.")
            : inner.OpenAsync(cancellationToken);

        public IStoreConnections ForRepeatableWrites() => this;

        public ValueTask<WriteTurn> TakeWriteTurnAsync(WritePriority priority, CancellationToken cancellationToken) =>
            inner.TakeWriteTurnAsync(priority, cancellationToken);
    }
}
