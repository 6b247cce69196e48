using FieldOps.Integration.Storage.Tests.Infrastructure;

namespace FieldOps.Integration.Storage.Tests.Outbox;

public sealed class SqliteOutboxStoreTests : OutboxStoreContract
{
    protected override TestDatabase NewDatabase() => new SqliteTestDatabase();

    [Fact] public Task Claim_TwoRowsOnOneKey_ClaimsOnlyTheOldest_Sqlite() => Claim_TwoRowsOnOneKey_ClaimsOnlyTheOldest();
    [Fact] public Task Claim_Row_CarriesItsInboxEventIdForTheLogs_Sqlite() => Claim_Row_CarriesItsInboxEventIdForTheLogs();
    [Fact] public Task Claim_Row_CarriesEveryColumnTheDispatcherReads_Sqlite() => Claim_Row_CarriesEveryColumnTheDispatcherReads();
    [Fact] public Task Claim_UnrelatedKeys_ClaimsOnePerKeyInOrder_Sqlite() => Claim_UnrelatedKeys_ClaimsOnePerKeyInOrder();
    [Fact] public Task Claim_SecondWorkerWhileLeaseHeld_ClaimsNothing_Sqlite() => Claim_SecondWorkerWhileLeaseHeld_ClaimsNothing();
    [Fact] public Task Claim_AfterLeaseExpired_ClaimsTheCrashedWorkersRowAgain_Sqlite() => Claim_AfterLeaseExpired_ClaimsTheCrashedWorkersRowAgain();
    [Fact] public Task Claim_PausedConnection_SkipsItsRows_Sqlite() => Claim_PausedConnection_SkipsItsRows();
    [Fact] public Task ClaimAsync_ManyWorkersAtOnce_NeverClaimsARowTwice_Sqlite() => ClaimAsync_ManyWorkersAtOnce_NeverClaimsARowTwice();
    [Fact] public Task ClaimAsync_SeveralConnectorsInOneCall_TakesEachOnesLimitAndPausedConnections_Sqlite() => ClaimAsync_SeveralConnectorsInOneCall_TakesEachOnesLimitAndPausedConnections();
    [Fact] public Task Update_DeadLetter_BlocksSuccessorsUntilReplayed_Sqlite() => Update_DeadLetter_BlocksSuccessorsUntilReplayed();
    [Fact] public Task Update_ReleasedWithoutACall_KeepsTheLastOutcomeAndError_Sqlite() => Update_ReleasedWithoutACall_KeepsTheLastOutcomeAndError();
    [Fact] public Task Discard_DeadLetter_ReleasesTheNextRow_Sqlite() => Discard_DeadLetter_ReleasesTheNextRow();
    [Fact] public Task Update_ManyAtOnce_EachCallerHearsItsOwnResult_Sqlite() => Update_ManyAtOnce_EachCallerHearsItsOwnResult();
    [Fact] public Task Update_AfterLeaseTakenOver_WritesNothing_Sqlite() => Update_AfterLeaseTakenOver_WritesNothing();
    [Fact] public Task Update_WithItsCallsAttempts_WritesThemOnlyWhileTheLeaseIsOurs_Sqlite() => Update_WithItsCallsAttempts_WritesThemOnlyWhileTheLeaseIsOurs();
    [Fact] public Task Update_ManyAtOnceWithAttemptsAndCrossReferences_WritesOnlyTheRowsWhoseLeaseIsOurs_Sqlite() =>
        Update_ManyAtOnceWithAttemptsAndCrossReferences_WritesOnlyTheRowsWhoseLeaseIsOurs();
    [Fact] public Task Update_ManyAtOnceWithAttemptsAndCrossReferences_AllLeasesOurs_WritesEveryRow_Sqlite() =>
        Update_ManyAtOnceWithAttemptsAndCrossReferences_AllLeasesOurs_WritesEveryRow();
    [Fact] public Task Update_DeliveredWithCrossReference_SavesTheXrefInTheSameWrite_Sqlite() => Update_DeliveredWithCrossReference_SavesTheXrefInTheSameWrite();
    [Fact] public Task ReleaseAll_AtShutdown_ClearsLeasesSoAnotherWorkerClaimsAtOnce_Sqlite() => ReleaseAll_AtShutdown_ClearsLeasesSoAnotherWorkerClaimsAtOnce();
    [Fact] public Task Claim_RowRoutedAfterItsKeysDeadLetter_IsShownBlockedAndReleasedByReplay_Sqlite() => Claim_RowRoutedAfterItsKeysDeadLetter_IsShownBlockedAndReleasedByReplay();
    [Fact] public Task RenewLeases_HeldLease_OutlastsItsFirstExpiryButALapsedOneIsNotRenewed_Sqlite() => RenewLeases_HeldLease_OutlastsItsFirstExpiryButALapsedOneIsNotRenewed();
    [Fact] public Task RenewLeases_FreshLease_IsNotWrittenUntilItNearsItsEnd_Sqlite() => RenewLeases_FreshLease_IsNotWrittenUntilItNearsItsEnd();
}
