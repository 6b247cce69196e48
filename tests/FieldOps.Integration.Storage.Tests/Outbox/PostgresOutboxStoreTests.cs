using FieldOps.Integration.Storage.Tests.Infrastructure;

namespace FieldOps.Integration.Storage.Tests.Outbox;

public sealed class PostgresOutboxStoreTests : OutboxStoreContract
{
    protected override TestDatabase NewDatabase() => new PostgresTestDatabase();

    [PostgresFact] public Task Claim_TwoRowsOnOneKey_ClaimsOnlyTheOldest_Postgres() => Claim_TwoRowsOnOneKey_ClaimsOnlyTheOldest();
    [PostgresFact] public Task Claim_Row_CarriesItsInboxEventIdForTheLogs_Postgres() => Claim_Row_CarriesItsInboxEventIdForTheLogs();
    [PostgresFact] public Task Claim_Row_CarriesEveryColumnTheDispatcherReads_Postgres() => Claim_Row_CarriesEveryColumnTheDispatcherReads();
    [PostgresFact] public Task Claim_UnrelatedKeys_ClaimsOnePerKeyInOrder_Postgres() => Claim_UnrelatedKeys_ClaimsOnePerKeyInOrder();
    [PostgresFact] public Task Claim_SecondWorkerWhileLeaseHeld_ClaimsNothing_Postgres() => Claim_SecondWorkerWhileLeaseHeld_ClaimsNothing();
    [PostgresFact] public Task Claim_AfterLeaseExpired_ClaimsTheCrashedWorkersRowAgain_Postgres() => Claim_AfterLeaseExpired_ClaimsTheCrashedWorkersRowAgain();
    [PostgresFact] public Task Claim_PausedConnection_SkipsItsRows_Postgres() => Claim_PausedConnection_SkipsItsRows();
    [PostgresFact] public Task ClaimAsync_ManyWorkersAtOnce_NeverClaimsARowTwice_Postgres() => ClaimAsync_ManyWorkersAtOnce_NeverClaimsARowTwice();
    [PostgresFact] public Task ClaimAsync_SeveralConnectorsInOneCall_TakesEachOnesLimitAndPausedConnections_Postgres() => ClaimAsync_SeveralConnectorsInOneCall_TakesEachOnesLimitAndPausedConnections();
    [PostgresFact] public Task Update_DeadLetter_BlocksSuccessorsUntilReplayed_Postgres() => Update_DeadLetter_BlocksSuccessorsUntilReplayed();
    [PostgresFact] public Task Update_ReleasedWithoutACall_KeepsTheLastOutcomeAndError_Postgres() => Update_ReleasedWithoutACall_KeepsTheLastOutcomeAndError();
    [PostgresFact] public Task Discard_DeadLetter_ReleasesTheNextRow_Postgres() => Discard_DeadLetter_ReleasesTheNextRow();
    [PostgresFact] public Task Update_ManyAtOnce_EachCallerHearsItsOwnResult_Postgres() => Update_ManyAtOnce_EachCallerHearsItsOwnResult();
    [PostgresFact] public Task Update_AfterLeaseTakenOver_WritesNothing_Postgres() => Update_AfterLeaseTakenOver_WritesNothing();
    [PostgresFact] public Task Update_WithItsCallsAttempts_WritesThemOnlyWhileTheLeaseIsOurs_Postgres() => Update_WithItsCallsAttempts_WritesThemOnlyWhileTheLeaseIsOurs();
    [PostgresFact] public Task Update_ManyAtOnceWithAttemptsAndCrossReferences_WritesOnlyTheRowsWhoseLeaseIsOurs_Postgres() =>
        Update_ManyAtOnceWithAttemptsAndCrossReferences_WritesOnlyTheRowsWhoseLeaseIsOurs();
    [PostgresFact] public Task Update_ManyAtOnceWithAttemptsAndCrossReferences_AllLeasesOurs_WritesEveryRow_Postgres() =>
        Update_ManyAtOnceWithAttemptsAndCrossReferences_AllLeasesOurs_WritesEveryRow();
    [PostgresFact] public Task Update_DeliveredWithCrossReference_SavesTheXrefInTheSameWrite_Postgres() => Update_DeliveredWithCrossReference_SavesTheXrefInTheSameWrite();
    [PostgresFact] public Task ReleaseAll_AtShutdown_ClearsLeasesSoAnotherWorkerClaimsAtOnce_Postgres() => ReleaseAll_AtShutdown_ClearsLeasesSoAnotherWorkerClaimsAtOnce();
    [PostgresFact] public Task Claim_RowRoutedAfterItsKeysDeadLetter_IsShownBlockedAndReleasedByReplay_Postgres() => Claim_RowRoutedAfterItsKeysDeadLetter_IsShownBlockedAndReleasedByReplay();
    [PostgresFact] public Task RenewLeases_HeldLease_OutlastsItsFirstExpiryButALapsedOneIsNotRenewed_Postgres() => RenewLeases_HeldLease_OutlastsItsFirstExpiryButALapsedOneIsNotRenewed();
    [PostgresFact] public Task RenewLeases_FreshLease_IsNotWrittenUntilItNearsItsEnd_Postgres() => RenewLeases_FreshLease_IsNotWrittenUntilItNearsItsEnd();
}
