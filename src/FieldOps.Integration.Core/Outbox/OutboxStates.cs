namespace FieldOps.Integration.Core.Outbox;

/// <summary>The values of <c>outbox.state</c>.</summary>
public static class OutboxStates
{
    /// <summary>Waiting to be claimed (due at <c>next_attempt_at</c>).</summary>
    public const string Pending = "pending";

    /// <summary>A non-idempotent call may have started: after a crash the connector checks for the effect first.</summary>
    public const string InFlight = "in_flight";

    /// <summary>The target applied it.</summary>
    public const string Delivered = "delivered";

    /// <summary>Dead-lettered, with <c>dead_reason</c>; holds the operations behind it on its partition key.</summary>
    public const string Dead = "dead";

    /// <summary>Behind a dead letter on the same partition key: shown, not attempted, until it is replayed or discarded.</summary>
    public const string Blocked = "blocked";

    /// <summary>An operator gave up on it; the operations behind it go on.</summary>
    public const string Discarded = "discarded";
}
