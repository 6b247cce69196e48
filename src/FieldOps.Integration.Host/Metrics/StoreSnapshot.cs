using FieldOps.Integration.Core.Operations;

namespace FieldOps.Integration.Host.Metrics;

/// <summary>What the store said at <see cref="ReadAt"/>: the figures behind the store-backed gauges.</summary>
internal sealed record StoreSnapshot(
    bool StoreUp, DateTimeOffset ReadAt, IReadOnlyList<BacklogEntry> Backlog, IReadOnlyList<StateCount> Held, IReadOnlyList<TokenState> Tokens,
    long? Leases)
{
    public static StoreSnapshot Empty { get; } = new(false, DateTimeOffset.MinValue, [], [], [], null);
}
