using FieldOps.Integration.Storage.Tests.Infrastructure;

namespace FieldOps.Integration.Storage.Tests.Credentials;

public sealed class SqlServerTokenStoreTests : TokenStoreContract
{
    protected override TestDatabase NewDatabase() => new SqlServerTestDatabase();

    [SqlServerFact] public Task TryAcquireRefreshLease_TwoOwnersAtOnce_OnlyOneGetsIt_SqlServer() => TryAcquireRefreshLease_TwoOwnersAtOnce_OnlyOneGetsIt();
    [SqlServerFact] public Task TryAcquireRefreshLease_AfterTheLeaseExpired_SucceedsForAnother_SqlServer() => TryAcquireRefreshLease_AfterTheLeaseExpired_SucceedsForAnother();
    [SqlServerFact] public Task TryAcquireRefreshLease_HeldByAProcessOfThisHostThatDied_IsTakenOverAtOnceByOneOwner_SqlServer() => TryAcquireRefreshLease_HeldByAProcessOfThisHostThatDied_IsTakenOverAtOnceByOneOwner();
    [SqlServerFact] public Task TryAcquireRefreshLease_HeldByALiveProcessOrAnotherHost_WaitsForTheLeaseToRunOut_SqlServer() => TryAcquireRefreshLease_HeldByALiveProcessOrAnotherHost_WaitsForTheLeaseToRunOut();
    [SqlServerFact] public Task SaveRefreshed_ByTheLeaseHolder_StoresBothTokensAndReleasesTheLease_SqlServer() => SaveRefreshed_ByTheLeaseHolder_StoresBothTokensAndReleasesTheLease();
    [SqlServerFact] public Task MarkBroken_ThenList_NamesTheConnectionUntilARefreshSucceeds_SqlServer() => MarkBroken_ThenList_NamesTheConnectionUntilARefreshSucceeds();
}
