using FieldOps.Integration.Core.Dispatch;
using FieldOps.Integration.Core.Outbox;
using FieldOps.Integration.Core.Secrets;

namespace FieldOps.Integration.Core.Tests.Dispatch;

/// <summary>
/// A target id the store cannot keep, or one read as U+FFFD, is refused as a cross-reference only when one was asked
/// for; without one the id is only shown (escaped), and the row's last error says nothing about a cross-reference.
/// </summary>
public sealed class OutboxUpdateScrubbingTests
{
    private static readonly SecretScrubber Scrubber = new();

    [Theory]
    [InlineData("T\0-1", "T\\u0000-1")]
    [InlineData("T\uFFFD-1", "T\uFFFD-1")]
    public void Scrub_UnusableIdWithoutACrossReference_IsShownAndNothingIsSaidOfACrossReference(string id, string shown)
    {
        var scrubbed = Scrubber.Scrub(Delivered(id, xref: false));

        Assert.Equal(shown, scrubbed.TargetId);
        Assert.Null(scrubbed.LastError);
        Assert.Null(scrubbed.CrossReference);
    }

    [Theory]
    [InlineData("T\0-1", "the target answered an id holding a NUL character")]
    [InlineData("T\uFFFD-1", "the target answered an id holding a character its answer did not encode")]
    public void Scrub_UnusableIdOfACrossReference_IsNotKeptAndTheLastErrorSaysSo(string id, string said)
    {
        var scrubbed = Scrubber.Scrub(Delivered(id, xref: true));

        Assert.Null(scrubbed.CrossReference);
        Assert.StartsWith(said, scrubbed.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public void Scrub_UsableIdOfACrossReference_IsKept()
    {
        var scrubbed = Scrubber.Scrub(Delivered("T-1", xref: true));

        Assert.Equal("T-1", scrubbed.CrossReference?.TargetId);
        Assert.Null(scrubbed.LastError);
    }

    private static OutboxUpdate Delivered(string id, bool xref) => new()
    {
        Id = "row-1",
        State = OutboxStates.Delivered,
        Attempts = 1,
        TargetId = id,
        CrossReference = xref ? ("things", "Thing", "J-1", id) : null,
    };
}
