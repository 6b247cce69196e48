using FieldOps.Integration.Core.Inbox;

namespace FieldOps.Integration.Core.Hydration;

/// <summary>An entity leased to one process for fetching.</summary>
/// <param name="EntityKey">The entity's key (<c>source:type:id</c>).</param>
/// <param name="Source">The source name.</param>
/// <param name="EntityType">The entity's type at the source.</param>
/// <param name="EntityId">The entity's id.</param>
/// <param name="Owner">The instance holding the lease.</param>
public sealed record HydrationClaim(string EntityKey, string Source, string EntityType, string EntityId, string Owner)
{
    /// <summary>The key of <paramref name="request"/>'s entity.</summary>
    public static string KeyOf(HydrationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return $"{request.Source}:{request.EntityType}:{request.EntityId}";
    }
}

/// <summary>An event to register under the entity <paramref name="Request"/> names.</summary>
public sealed record HydrationRegistration(long EventId, HydrationRequest Request);

/// <summary>A claimed entity's event and its failed fetch attempts so far.</summary>
public sealed record ClaimedEvent(InboxEvent Event, int Attempts);

/// <summary>The coalescing window (<see cref="HydrationOptions.Debounce"/>, <see cref="HydrationOptions.MaxDelay"/>).</summary>
public sealed record HydrationWindow(TimeSpan Debounce, TimeSpan MaxDelay);

/// <summary>How a claim ends without a record.</summary>
/// <param name="Attempted">Events whose attempt count goes up by one (a failed fetch; none for a throttle).</param>
/// <param name="Unmatched">Events left unmatched, each with its reason (given up, or nothing to fetch).</param>
/// <param name="RetryAt">When the entity is due again; null when no retry is wanted (its other events get their own window).</param>
public sealed record HydrationRelease(IReadOnlyList<long> Attempted, IReadOnlyDictionary<long, string> Unmatched, DateTimeOffset? RetryAt);
