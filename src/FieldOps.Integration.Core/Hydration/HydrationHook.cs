namespace FieldOps.Integration.Core.Hydration;

/// <summary>
/// How hydration meets the router. A source profile declares what an event needs (<c>requires: {"…": "$exists(record)"}</c>);
/// for a source kind with a hydrator the router marks an event that lacks it <c>awaiting_hydration</c>. The hydration
/// service picks those events up, adds the fetched record as <c>record</c>, and sets them back to <c>new</c> for the router.
/// The requirement's text is for people only: nothing matches on it.
/// </summary>
public static class HydrationHook
{
    /// <summary>The property the fetched record is stored under, beside the webhook's own document.</summary>
    public const string RecordProperty = "record";
}
