namespace FieldOps.Integration.Core.Operations;

/// <summary>The values of <c>outbox_action.action</c>.</summary>
public static class OperationActions
{
    /// <summary>A dead letter was put back in the queue.</summary>
    public const string Replay = "replay";

    /// <summary>An operator gave up on the row.</summary>
    public const string Discard = "discard";

    /// <summary>A re-route replaced the row with one from the current mappings.</summary>
    public const string Superseded = "superseded";
}
