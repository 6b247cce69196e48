using FieldOps.Integration.Storage.Tests.Infrastructure;

namespace FieldOps.Integration.Storage.Tests.Sources;

public sealed class PostgresHydrationStoreTests : HydrationStoreContract
{
    protected override TestDatabase NewDatabase() => new PostgresTestDatabase();

    [PostgresFact] public Task Register_BurstSeenByTwoProcesses_OneEntityDueOneDebounceAfterItsLastEvent_Postgres() => Register_BurstSeenByTwoProcesses_OneEntityDueOneDebounceAfterItsLastEvent();
    [PostgresFact] public Task Register_EventsKeepComing_EntityDueAtMostTheMaxDelayAfterItsFirst_Postgres() => Register_EventsKeepComing_EntityDueAtMostTheMaxDelayAfterItsFirst();
    [PostgresFact] public Task Claim_TwoProcessesAtOnce_EveryEntityToExactlyOne_Postgres() => Claim_TwoProcessesAtOnce_EveryEntityToExactlyOne();
    [PostgresFact] public Task Claim_LeaseOfAProcessThatDied_IsTakenOverOnceItExpiresNotBefore_Postgres() => Claim_LeaseOfAProcessThatDied_IsTakenOverOnceItExpiresNotBefore();
    [PostgresFact] public Task Renew_HeldLease_OutlastsItsFirstExpiry_AndReleaseAllHandsItOver_Postgres() => Renew_HeldLease_OutlastsItsFirstExpiry_AndReleaseAllHandsItOver();
    [PostgresFact] public Task Release_FailedFetches_CountPerEventAndGiveUpEachAtItsOwnLimit_Postgres() => Release_FailedFetches_CountPerEventAndGiveUpEachAtItsOwnLimit();
    [PostgresFact] public Task Complete_EventRegisteredDuringTheFetch_WaitsForItsOwnFetch_ThenTheEntityIsGone_Postgres() => Complete_EventRegisteredDuringTheFetch_WaitsForItsOwnFetch_ThenTheEntityIsGone();
    [PostgresFact] public Task PauseSource_SeenByOneProcess_HoldsBackEveryProcessesClaimsUntilItEnds_Postgres() => PauseSource_SeenByOneProcess_HoldsBackEveryProcessesClaimsUntilItEnds();
}
