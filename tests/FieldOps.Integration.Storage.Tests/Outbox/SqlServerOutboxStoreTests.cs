using FieldOps.Integration.Storage.Tests.Infrastructure;

namespace FieldOps.Integration.Storage.Tests.Outbox;

public sealed class SqlServerOutboxStoreTests : OutboxStoreContract
{
    protected override TestDatabase NewDatabase() => new SqlServerTestDatabase();

    [SqlServerFact] public Task Claim_TwoRowsOnOneKey_ClaimsOnlyTheOldest_SqlServer() => Claim_TwoRowsOnOneKey_ClaimsOnlyTheOldest();
    [SqlServerFact] public Task Claim_Row_CarriesItsInboxEventIdForTheLogs_SqlServer() => Claim_Row_CarriesItsInboxEventIdForTheLogs();
    [SqlServerFact] public Task Claim_Row_CarriesEveryColumnTheDispatcherReads_SqlServer() => Claim_Row_CarriesEveryColumnTheDispatcherReads();
    [SqlServerFact] public Task Claim_UnrelatedKeys_ClaimsOnePerKeyInOrder_SqlServer() => Claim_UnrelatedKeys_ClaimsOnePerKeyInOrder();
    [SqlServerFact] public Task Claim_SecondWorkerWhileLeaseHeld_ClaimsNothing_SqlServer() => Claim_SecondWorkerWhileLeaseHeld_ClaimsNothing();
    [SqlServerFact] public Task Claim_AfterLeaseExpired_ClaimsTheCrashedWorkersRowAgain_SqlServer() => Claim_AfterLeaseExpired_ClaimsTheCrashedWorkersRowAgain();
    [SqlServerFact] public Task Claim_PausedConnection_SkipsItsRows_SqlServer() => Claim_PausedConnection_SkipsItsRows();
    [SqlServerFact] public Task ClaimAsync_ManyWorkersAtOnce_NeverClaimsARowTwice_SqlServer() => ClaimAsync_ManyWorkersAtOnce_NeverClaimsARowTwice();
    [SqlServerFact] public Task ClaimAsync_SeveralConnectorsInOneCall_TakesEachOnesLimitAndPausedConnections_SqlServer() => ClaimAsync_SeveralConnectorsInOneCall_TakesEachOnesLimitAndPausedConnections();
    [SqlServerFact] public Task Update_DeadLetter_BlocksSuccessorsUntilReplayed_SqlServer() => Update_DeadLetter_BlocksSuccessorsUntilReplayed();
    [SqlServerFact] public Task Update_ReleasedWithoutACall_KeepsTheLastOutcomeAndError_SqlServer() => Update_ReleasedWithoutACall_KeepsTheLastOutcomeAndError();
    [SqlServerFact] public Task Discard_DeadLetter_ReleasesTheNextRow_SqlServer() => Discard_DeadLetter_ReleasesTheNextRow();
    [SqlServerFact] public Task Update_ManyAtOnce_EachCallerHearsItsOwnResult_SqlServer() => Update_ManyAtOnce_EachCallerHearsItsOwnResult();
    [SqlServerFact] public Task Update_AfterLeaseTakenOver_WritesNothing_SqlServer() => Update_AfterLeaseTakenOver_WritesNothing();
    [SqlServerFact] public Task Update_WithItsCallsAttempts_WritesThemOnlyWhileTheLeaseIsOurs_SqlServer() => Update_WithItsCallsAttempts_WritesThemOnlyWhileTheLeaseIsOurs();
    [SqlServerFact] public Task Update_ManyAtOnceWithAttemptsAndCrossReferences_WritesOnlyTheRowsWhoseLeaseIsOurs_SqlServer() =>
        Update_ManyAtOnceWithAttemptsAndCrossReferences_WritesOnlyTheRowsWhoseLeaseIsOurs();
    [SqlServerFact] public Task Update_ManyAtOnceWithAttemptsAndCrossReferences_AllLeasesOurs_WritesEveryRow_SqlServer() =>
        Update_ManyAtOnceWithAttemptsAndCrossReferences_AllLeasesOurs_WritesEveryRow();
    [SqlServerFact] public Task Update_DeliveredWithCrossReference_SavesTheXrefInTheSameWrite_SqlServer() => Update_DeliveredWithCrossReference_SavesTheXrefInTheSameWrite();
    [SqlServerFact] public Task ReleaseAll_AtShutdown_ClearsLeasesSoAnotherWorkerClaimsAtOnce_SqlServer() => ReleaseAll_AtShutdown_ClearsLeasesSoAnotherWorkerClaimsAtOnce();
    [SqlServerFact] public Task Claim_RowRoutedAfterItsKeysDeadLetter_IsShownBlockedAndReleasedByReplay_SqlServer() => Claim_RowRoutedAfterItsKeysDeadLetter_IsShownBlockedAndReleasedByReplay();
    [SqlServerFact] public Task RenewLeases_HeldLease_OutlastsItsFirstExpiryButALapsedOneIsNotRenewed_SqlServer() => RenewLeases_HeldLease_OutlastsItsFirstExpiryButALapsedOneIsNotRenewed();
    [SqlServerFact] public Task RenewLeases_FreshLease_IsNotWrittenUntilItNearsItsEnd_SqlServer() => RenewLeases_FreshLease_IsNotWrittenUntilItNearsItsEnd();
}
