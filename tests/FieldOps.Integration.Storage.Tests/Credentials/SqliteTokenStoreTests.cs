using FieldOps.Integration.Storage.Tests.Infrastructure;

namespace FieldOps.Integration.Storage.Tests.Credentials;

public sealed class SqliteTokenStoreTests : TokenStoreContract
{
    protected override TestDatabase NewDatabase() => new SqliteTestDatabase();

    [Fact] public Task TryAcquireRefreshLease_TwoOwnersAtOnce_OnlyOneGetsIt_Sqlite() => TryAcquireRefreshLease_TwoOwnersAtOnce_OnlyOneGetsIt();
    [Fact] public Task TryAcquireRefreshLease_AfterTheLeaseExpired_SucceedsForAnother_Sqlite() => TryAcquireRefreshLease_AfterTheLeaseExpired_SucceedsForAnother();
    [Fact] public Task TryAcquireRefreshLease_HeldByAProcessOfThisHostThatDied_IsTakenOverAtOnceByOneOwner_Sqlite() => TryAcquireRefreshLease_HeldByAProcessOfThisHostThatDied_IsTakenOverAtOnceByOneOwner();
    [Fact] public Task TryAcquireRefreshLease_HeldByALiveProcessOrAnotherHost_WaitsForTheLeaseToRunOut_Sqlite() => TryAcquireRefreshLease_HeldByALiveProcessOrAnotherHost_WaitsForTheLeaseToRunOut();
    [Fact] public Task SaveRefreshed_ByTheLeaseHolder_StoresBothTokensAndReleasesTheLease_Sqlite() => SaveRefreshed_ByTheLeaseHolder_StoresBothTokensAndReleasesTheLease();
    [Fact] public Task MarkBroken_ThenList_NamesTheConnectionUntilARefreshSucceeds_Sqlite() => MarkBroken_ThenList_NamesTheConnectionUntilARefreshSucceeds();
}
