using FieldOps.Integration.Storage.Tests.Infrastructure;

namespace FieldOps.Integration.Storage.Tests.Sources;

public sealed class SqliteHydrationStoreTests : HydrationStoreContract
{
    protected override TestDatabase NewDatabase() => new SqliteTestDatabase();

    [Fact] public Task Register_BurstSeenByTwoProcesses_OneEntityDueOneDebounceAfterItsLastEvent_Sqlite() => Register_BurstSeenByTwoProcesses_OneEntityDueOneDebounceAfterItsLastEvent();
    [Fact] public Task Register_EventsKeepComing_EntityDueAtMostTheMaxDelayAfterItsFirst_Sqlite() => Register_EventsKeepComing_EntityDueAtMostTheMaxDelayAfterItsFirst();
    [Fact] public Task Claim_TwoProcessesAtOnce_EveryEntityToExactlyOne_Sqlite() => Claim_TwoProcessesAtOnce_EveryEntityToExactlyOne();
    [Fact] public Task Claim_LeaseOfAProcessThatDied_IsTakenOverOnceItExpiresNotBefore_Sqlite() => Claim_LeaseOfAProcessThatDied_IsTakenOverOnceItExpiresNotBefore();
    [Fact] public Task Renew_HeldLease_OutlastsItsFirstExpiry_AndReleaseAllHandsItOver_Sqlite() => Renew_HeldLease_OutlastsItsFirstExpiry_AndReleaseAllHandsItOver();
    [Fact] public Task Release_FailedFetches_CountPerEventAndGiveUpEachAtItsOwnLimit_Sqlite() => Release_FailedFetches_CountPerEventAndGiveUpEachAtItsOwnLimit();
    [Fact] public Task Complete_EventRegisteredDuringTheFetch_WaitsForItsOwnFetch_ThenTheEntityIsGone_Sqlite() => Complete_EventRegisteredDuringTheFetch_WaitsForItsOwnFetch_ThenTheEntityIsGone();
    [Fact] public Task PauseSource_SeenByOneProcess_HoldsBackEveryProcessesClaimsUntilItEnds_Sqlite() => PauseSource_SeenByOneProcess_HoldsBackEveryProcessesClaimsUntilItEnds();
}
