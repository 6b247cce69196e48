using FieldOps.Integration.Storage.Tests.Infrastructure;

namespace FieldOps.Integration.Storage.Tests.Credentials;

public sealed class PostgresTokenStoreTests : TokenStoreContract
{
    protected override TestDatabase NewDatabase() => new PostgresTestDatabase();

    [PostgresFact] public Task TryAcquireRefreshLease_TwoOwnersAtOnce_OnlyOneGetsIt_Postgres() => TryAcquireRefreshLease_TwoOwnersAtOnce_OnlyOneGetsIt();
    [PostgresFact] public Task TryAcquireRefreshLease_AfterTheLeaseExpired_SucceedsForAnother_Postgres() => TryAcquireRefreshLease_AfterTheLeaseExpired_SucceedsForAnother();
    [PostgresFact] public Task TryAcquireRefreshLease_HeldByAProcessOfThisHostThatDied_IsTakenOverAtOnceByOneOwner_Postgres() => TryAcquireRefreshLease_HeldByAProcessOfThisHostThatDied_IsTakenOverAtOnceByOneOwner();
    [PostgresFact] public Task TryAcquireRefreshLease_HeldByALiveProcessOrAnotherHost_WaitsForTheLeaseToRunOut_Postgres() => TryAcquireRefreshLease_HeldByALiveProcessOrAnotherHost_WaitsForTheLeaseToRunOut();
    [PostgresFact] public Task SaveRefreshed_ByTheLeaseHolder_StoresBothTokensAndReleasesTheLease_Postgres() => SaveRefreshed_ByTheLeaseHolder_StoresBothTokensAndReleasesTheLease();
    [PostgresFact] public Task MarkBroken_ThenList_NamesTheConnectionUntilARefreshSucceeds_Postgres() => MarkBroken_ThenList_NamesTheConnectionUntilARefreshSucceeds();
}
