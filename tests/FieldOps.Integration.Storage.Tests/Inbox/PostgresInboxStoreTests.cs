using FieldOps.Integration.Storage.Tests.Infrastructure;

namespace FieldOps.Integration.Storage.Tests.Inbox;

public sealed class PostgresInboxStoreTests : InboxStoreContract
{
    protected override TestDatabase NewDatabase() => new PostgresTestDatabase();

    protected override string[] RefuseInsertOf(string dedupKey) =>
    [
        "CREATE FUNCTION refuse_inbox_event() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN " +
        $"IF NEW.dedup_key = '{dedupKey}' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$",
        "CREATE TRIGGER refuse_inbox_event BEFORE INSERT ON inbox FOR EACH ROW EXECUTE FUNCTION refuse_inbox_event()",
    ];

    [PostgresFact] public Task Append_NewEvent_IsStoredAsReceived_Postgres() => Append_NewEvent_IsStoredAsReceived();
    [PostgresFact] public Task Append_SameKeyTwice_ReturnsTheFirstIdAndStoresOne_Postgres() => Append_SameKeyTwice_ReturnsTheFirstIdAndStoresOne();
    [PostgresFact] public Task Append_ManyConcurrently_GroupCommitsEachOnce_Postgres() => Append_ManyConcurrently_GroupCommitsEachOnce();
    [PostgresFact] public Task Append_UnforeseenStoreFault_AnswersUnavailable_AndTheNextWebhookIsStored_Postgres() => Append_UnforeseenStoreFault_AnswersUnavailable_AndTheNextWebhookIsStored();
    [PostgresFact] public Task Append_OneEventOfAGroupTheStoreRefuses_TheOthersAreStored_Postgres() => Append_OneEventOfAGroupTheStoreRefuses_TheOthersAreStored();
    [PostgresFact] public Task Append_StoreDown_AGroupIsAnsweredUnavailableWithoutTryingEachAlone_Postgres() => Append_StoreDown_AGroupIsAnsweredUnavailableWithoutTryingEachAlone();
    [PostgresFact] public Task Append_GroupFailsThenTheStoreIsDown_TheRestAnsweredWithoutTryingEachAlone_Postgres() => Append_GroupFailsThenTheStoreIsDown_TheRestAnsweredWithoutTryingEachAlone();
    [PostgresFact] public Task Migrate_Twice_AppliesNothingTheSecondTime_Postgres() => Migrate_Twice_AppliesNothingTheSecondTime();
    [PostgresFact] public Task ClaimNew_TwoRouters_EachEventToOne_UntilTheLeaseExpires_Postgres() => ClaimNew_TwoRouters_EachEventToOne_UntilTheLeaseExpires();
    [PostgresFact] public Task Routing_SameRowsTwice_WritesThemOnce_Postgres() => Routing_SameRowsTwice_WritesThemOnceAndMarksTheEventRouted();
    [PostgresFact] public Task Routing_SecondCommitOfAnEventNoLongerNew_WritesNothing_Postgres() => Routing_SecondCommitOfAnEventNoLongerNew_WritesNothing();
    [PostgresFact] public Task Routing_GroupOfEvents_CommitsEachInOrderAndChecksVersionsAcrossTheGroup_Postgres() => Routing_GroupOfEvents_CommitsEachInOrderAndChecksVersionsAcrossTheGroup();
    [PostgresFact] public Task Routing_VersionRecordedForTheEventBefore_AndAPartlyFailedEvent_AreRoutedWithTheirRows_Postgres() => Routing_VersionRecordedForTheEventBefore_AndAPartlyFailedEvent_AreRoutedWithTheirRows();
    [PostgresFact] public Task Routing_EventNoLongerNewWithAVersion_WritesNoRowsAndRecordsNoVersion_Postgres() => Routing_EventNoLongerNewWithAVersion_WritesNoRowsAndRecordsNoVersion();
    [PostgresFact] public Task Routing_PartlyFailedEventWithAnOlderVersion_EndsStaleWithoutRows_Postgres() => Routing_PartlyFailedEventWithAnOlderVersion_EndsStaleWithoutRows();
    [PostgresFact] public Task Routing_MarkParked_KeepsTheReason_Postgres() => Routing_MarkParked_KeepsTheReason();
    [PostgresFact] public Task Routing_MarksOfAnEventNoLongerNew_LeaveItAsItIs_Postgres() => Routing_MarksOfAnEventNoLongerNew_LeaveItAsItIs();
}
