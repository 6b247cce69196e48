namespace FieldOps.Integration.Host.Tests.Ops;

/// <summary>
/// The speed test and the browser tests run one after another, not beside each other: Chromium and two extra
/// <c>fieldops</c> processes on a 2-core machine made the timed pages four times slower when they overlapped.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OpsTimingCollection
{
    public const string Name = "ops-timing";
}
