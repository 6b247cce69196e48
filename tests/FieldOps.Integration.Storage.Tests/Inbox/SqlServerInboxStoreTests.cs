using FieldOps.Integration.Storage.Tests.Infrastructure;

namespace FieldOps.Integration.Storage.Tests.Inbox;

public sealed class SqlServerInboxStoreTests : InboxStoreContract
{
    protected override TestDatabase NewDatabase() => new SqlServerTestDatabase();

    protected override string[] RefuseInsertOf(string dedupKey) =>
        [$"CREATE TRIGGER refuse_inbox_event ON inbox AFTER INSERT AS IF EXISTS (SELECT 1 FROM inserted WHERE dedup_key = '{dedupKey}') THROW 50000, 'refused by the test', 1;"];

    [SqlServerFact] public Task Append_NewEvent_IsStoredAsReceived_SqlServer() => Append_NewEvent_IsStoredAsReceived();
    [SqlServerFact] public Task Append_SameKeyTwice_ReturnsTheFirstIdAndStoresOne_SqlServer() => Append_SameKeyTwice_ReturnsTheFirstIdAndStoresOne();
    [SqlServerFact] public Task Append_ManyConcurrently_GroupCommitsEachOnce_SqlServer() => Append_ManyConcurrently_GroupCommitsEachOnce();
    [SqlServerFact] public Task Append_UnforeseenStoreFault_AnswersUnavailable_AndTheNextWebhookIsStored_SqlServer() => Append_UnforeseenStoreFault_AnswersUnavailable_AndTheNextWebhookIsStored();
    [SqlServerFact] public Task Append_OneEventOfAGroupTheStoreRefuses_TheOthersAreStored_SqlServer() => Append_OneEventOfAGroupTheStoreRefuses_TheOthersAreStored();
    [SqlServerFact] public Task Append_StoreDown_AGroupIsAnsweredUnavailableWithoutTryingEachAlone_SqlServer() => Append_StoreDown_AGroupIsAnsweredUnavailableWithoutTryingEachAlone();
    [SqlServerFact] public Task Append_GroupFailsThenTheStoreIsDown_TheRestAnsweredWithoutTryingEachAlone_SqlServer() => Append_GroupFailsThenTheStoreIsDown_TheRestAnsweredWithoutTryingEachAlone();
    [SqlServerFact] public Task Migrate_Twice_AppliesNothingTheSecondTime_SqlServer() => Migrate_Twice_AppliesNothingTheSecondTime();
    [SqlServerFact] public Task ClaimNew_TwoRouters_EachEventToOne_UntilTheLeaseExpires_SqlServer() => ClaimNew_TwoRouters_EachEventToOne_UntilTheLeaseExpires();
    [SqlServerFact] public Task Routing_SameRowsTwice_WritesThemOnce_SqlServer() => Routing_SameRowsTwice_WritesThemOnceAndMarksTheEventRouted();
    [SqlServerFact] public Task Routing_SecondCommitOfAnEventNoLongerNew_WritesNothing_SqlServer() => Routing_SecondCommitOfAnEventNoLongerNew_WritesNothing();
    [SqlServerFact] public Task Routing_GroupOfEvents_CommitsEachInOrderAndChecksVersionsAcrossTheGroup_SqlServer() => Routing_GroupOfEvents_CommitsEachInOrderAndChecksVersionsAcrossTheGroup();
    [SqlServerFact] public Task Routing_VersionRecordedForTheEventBefore_AndAPartlyFailedEvent_AreRoutedWithTheirRows_SqlServer() => Routing_VersionRecordedForTheEventBefore_AndAPartlyFailedEvent_AreRoutedWithTheirRows();
    [SqlServerFact] public Task Routing_EventNoLongerNewWithAVersion_WritesNoRowsAndRecordsNoVersion_SqlServer() => Routing_EventNoLongerNewWithAVersion_WritesNoRowsAndRecordsNoVersion();
    [SqlServerFact] public Task Routing_PartlyFailedEventWithAnOlderVersion_EndsStaleWithoutRows_SqlServer() => Routing_PartlyFailedEventWithAnOlderVersion_EndsStaleWithoutRows();
    [SqlServerFact] public Task Routing_MarkParked_KeepsTheReason_SqlServer() => Routing_MarkParked_KeepsTheReason();
    [SqlServerFact] public Task Routing_MarksOfAnEventNoLongerNew_LeaveItAsItIs_SqlServer() => Routing_MarksOfAnEventNoLongerNew_LeaveItAsItIs();
}
