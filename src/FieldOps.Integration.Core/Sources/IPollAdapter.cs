namespace FieldOps.Integration.Core.Sources;

/// <summary>
/// Reads one page of "changed since" records from a source's API. Registered as a keyed service under its adapter
/// name (<c>Sources:{name}:Poll:Adapter</c>, e.g. <c>rest</c>). It fetches and converts only: the poll runner owns
/// the watermark and the transaction.
/// </summary>
public interface IPollAdapter
{
    /// <summary>Fetches the page; throws <see cref="SourceThrottledException"/> when the source asks us to wait.</summary>
    Task<PollPage> FetchPageAsync(PollRequest request, CancellationToken cancellationToken);
}
