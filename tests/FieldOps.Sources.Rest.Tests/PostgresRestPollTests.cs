namespace FieldOps.Sources.Rest.Tests;

/// <summary>On PostgreSQL; skipped, naming the variable, when FIELDOPS_TEST_POSTGRES is not set.</summary>
public sealed class PostgresRestPollTests : RestPollTests
{
    protected override bool Postgres => true;

    [PostgresFact]
    public Task Run_ThreeCursorPages_AppendsEachRecordOnceAndAdvancesTheWatermark() => Run_ThreeCursorPages_AppendsEachRecordOnceAndAdvancesTheWatermarkBody();

    [PostgresFact]
    public Task Run_SecondPageFails_FirstPageStaysCommittedAndTheNextRunResumesThere() => Run_SecondPageFails_FirstPageStaysCommittedAndTheNextRunResumesThereBody();

    [PostgresFact]
    public Task Run_PagePagination_FullPagesLeadToTheNextNumber() => Run_PagePagination_FullPagesLeadToTheNextNumberBody();

    [PostgresFact]
    public Task Append_OlderVersionAfterNewer_IsRecordedStaleAndSameChangeTwiceIsSkipped() => Append_OlderVersionAfterNewer_IsRecordedStaleAndSameChangeTwiceIsSkippedBody();

    [PostgresFact]
    public Task Run_RecordIdHoldsANul_TheKeyIsStoredEscapedTheSourceMovesOnAndTheSameChangeIsNotStoredTwice() => Run_RecordIdHoldsANul_TheKeyIsStoredEscapedTheSourceMovesOnAndTheSameChangeIsNotStoredTwiceBody();

    [PostgresFact]
    public Task Run_NextCursorHoldsANul_RefusesThePageNamingTheSourceAndTheCursor() => Run_NextCursorHoldsANul_RefusesThePageNamingTheSourceAndTheCursorBody();

    [PostgresFact]
    public Task Run_ErrorQuotesANul_IsRecordedAsTheSourcesLastError() => Run_ErrorQuotesANul_IsRecordedAsTheSourcesLastErrorBody();
}
