using FieldOps.Integration.Storage.Tests.Infrastructure;

namespace FieldOps.Integration.Storage.Tests.Inbox;

public sealed class SqliteInboxStoreTests : InboxStoreContract
{
    protected override TestDatabase NewDatabase() => new SqliteTestDatabase();

    protected override string[] RefuseInsertOf(string dedupKey) =>
        [$"CREATE TRIGGER refuse_inbox_event BEFORE INSERT ON inbox WHEN NEW.dedup_key = '{dedupKey}' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"];

    [Fact] public Task Append_NewEvent_IsStoredAsReceived_Sqlite() => Append_NewEvent_IsStoredAsReceived();
    [Fact] public Task Append_SameKeyTwice_ReturnsTheFirstIdAndStoresOne_Sqlite() => Append_SameKeyTwice_ReturnsTheFirstIdAndStoresOne();
    [Fact] public Task Append_ManyConcurrently_GroupCommitsEachOnce_Sqlite() => Append_ManyConcurrently_GroupCommitsEachOnce();
    [Fact] public Task Append_UnforeseenStoreFault_AnswersUnavailable_AndTheNextWebhookIsStored_Sqlite() => Append_UnforeseenStoreFault_AnswersUnavailable_AndTheNextWebhookIsStored();
    [Fact] public Task Append_OneEventOfAGroupTheStoreRefuses_TheOthersAreStored_Sqlite() => Append_OneEventOfAGroupTheStoreRefuses_TheOthersAreStored();
    [Fact] public Task Append_StoreDown_AGroupIsAnsweredUnavailableWithoutTryingEachAlone_Sqlite() => Append_StoreDown_AGroupIsAnsweredUnavailableWithoutTryingEachAlone();
    [Fact] public Task Append_GroupFailsThenTheStoreIsDown_TheRestAnsweredWithoutTryingEachAlone_Sqlite() => Append_GroupFailsThenTheStoreIsDown_TheRestAnsweredWithoutTryingEachAlone();
    [Fact] public Task Migrate_Twice_AppliesNothingTheSecondTime_Sqlite() => Migrate_Twice_AppliesNothingTheSecondTime();
    [Fact] public Task ClaimNew_TwoRouters_EachEventToOne_UntilTheLeaseExpires_Sqlite() => ClaimNew_TwoRouters_EachEventToOne_UntilTheLeaseExpires();
    [Fact] public Task Routing_SameRowsTwice_WritesThemOnce_Sqlite() => Routing_SameRowsTwice_WritesThemOnceAndMarksTheEventRouted();
    [Fact] public Task Routing_SecondCommitOfAnEventNoLongerNew_WritesNothing_Sqlite() => Routing_SecondCommitOfAnEventNoLongerNew_WritesNothing();
    [Fact] public Task Routing_GroupOfEvents_CommitsEachInOrderAndChecksVersionsAcrossTheGroup_Sqlite() => Routing_GroupOfEvents_CommitsEachInOrderAndChecksVersionsAcrossTheGroup();
    [Fact] public Task Routing_VersionRecordedForTheEventBefore_AndAPartlyFailedEvent_AreRoutedWithTheirRows_Sqlite() => Routing_VersionRecordedForTheEventBefore_AndAPartlyFailedEvent_AreRoutedWithTheirRows();
    [Fact] public Task Routing_EventNoLongerNewWithAVersion_WritesNoRowsAndRecordsNoVersion_Sqlite() => Routing_EventNoLongerNewWithAVersion_WritesNoRowsAndRecordsNoVersion();
    [Fact] public Task Routing_PartlyFailedEventWithAnOlderVersion_EndsStaleWithoutRows_Sqlite() => Routing_PartlyFailedEventWithAnOlderVersion_EndsStaleWithoutRows();
    [Fact] public Task Routing_MarkParked_KeepsTheReason_Sqlite() => Routing_MarkParked_KeepsTheReason();
    [Fact] public Task Routing_MarksOfAnEventNoLongerNew_LeaveItAsItIs_Sqlite() => Routing_MarksOfAnEventNoLongerNew_LeaveItAsItIs();
}
