namespace FieldOps.Sources.Rest.Tests;

/// <summary>On SQLite, the default store.</summary>
public sealed class SqliteRestPollTests : RestPollTests
{
    protected override bool Postgres => false;

    [Fact]
    public Task Run_ThreeCursorPages_AppendsEachRecordOnceAndAdvancesTheWatermark() => Run_ThreeCursorPages_AppendsEachRecordOnceAndAdvancesTheWatermarkBody();

    [Fact]
    public Task Run_SecondPageFails_FirstPageStaysCommittedAndTheNextRunResumesThere() => Run_SecondPageFails_FirstPageStaysCommittedAndTheNextRunResumesThereBody();

    [Fact]
    public Task Run_PagePagination_FullPagesLeadToTheNextNumber() => Run_PagePagination_FullPagesLeadToTheNextNumberBody();

    [Fact]
    public Task Append_OlderVersionAfterNewer_IsRecordedStaleAndSameChangeTwiceIsSkipped() => Append_OlderVersionAfterNewer_IsRecordedStaleAndSameChangeTwiceIsSkippedBody();

    [Fact]
    public Task Run_RecordIdHoldsANul_TheKeyIsStoredEscapedTheSourceMovesOnAndTheSameChangeIsNotStoredTwice() => Run_RecordIdHoldsANul_TheKeyIsStoredEscapedTheSourceMovesOnAndTheSameChangeIsNotStoredTwiceBody();

    [Fact]
    public Task Run_NextCursorHoldsANul_RefusesThePageNamingTheSourceAndTheCursor() => Run_NextCursorHoldsANul_RefusesThePageNamingTheSourceAndTheCursorBody();

    [Fact]
    public Task Run_ErrorQuotesANul_IsRecordedAsTheSourcesLastError() => Run_ErrorQuotesANul_IsRecordedAsTheSourcesLastErrorBody();
}
