namespace FieldOps.Integration.Core.Hydration;

/// <summary>
/// How hydration meets the router. A source profile declares <c>requires: {"awaiting hydration…": "$exists(record)"}</c>;
/// the router then leaves a thin event unmatched with that reason instead of routing it. The hydration service picks
/// those events up, adds the fetched record as <c>record</c>, and sets them back to <c>new</c> for the router.
/// </summary>
public static class HydrationHook
{
    /// <summary>The start of the unmatched reason that marks an event as waiting for its record.</summary>
    public const string AwaitingReasonPrefix = "awaiting hydration";

    /// <summary>The property the fetched record is stored under, beside the webhook's own document.</summary>
    public const string RecordProperty = "record";
}
