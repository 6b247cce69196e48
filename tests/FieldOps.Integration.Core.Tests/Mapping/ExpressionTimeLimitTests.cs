using System.Diagnostics;
using FieldOps.Integration.Core.Mapping.Evaluation;
using FieldOps.Integration.Core.Mapping.Loading;
using FieldOps.Integration.Core.Tests.Routing;

namespace FieldOps.Integration.Core.Tests.Mapping;

/// <summary>
/// Issue 15 (the LoadDriver's warm-up once parked a job-completed event with its QuickBooks rows missing): the time limit
/// of an expression is measured on the wall clock, so a thread that is descheduled or stopped by a GC for longer than the
/// limit (two cores at load 40) timed out a flow that is not slow, and the event was parked for good — a job that never
/// invoices. A time-out is now tried again (the engine is pure), and only one that keeps timing out parks the event.
/// </summary>
public sealed class ExpressionTimeLimitTests
{
    [Fact]
    public void Map_ClockStallsOnceAnywhereInTheEvent_RoutesEveryFlow()
    {
        var set = MappingLoader.Load(MappingFolder.Shipped).Set!;
        var ev = new SourceEvent("1", "jobber-main", "jobber", DateTimeOffset.UnixEpoch, "k",
            System.Text.Json.Nodes.JsonNode.Parse(RouterHarness.Sample("jobber-job-closed.json")));
        var expected = new MappingEngine(TimeProvider.System).Map(set, ev);
        Assert.Equal(MappingOutcomeKind.Routed, expected.Kind);
        var calls = new StallingClock();
        new MappingEngine(calls).Map(set, ev);
        Assert.True(calls.Calls > 10, $"the engine read the clock {calls.Calls} times");

        // Stall the clock at each of its readings in turn: some of them fall inside an expression's evaluation.
        var parked = new List<string>();
        for (var stallAt = 1; stallAt <= calls.Calls; stallAt++)
        {
            var outcome = new MappingEngine(new StallingClock { StallAt = stallAt }).Map(set, ev);
            if (outcome.Kind != MappingOutcomeKind.Routed || outcome.FailedFlows.Count > 0 || outcome.Operations.Count != expected.Operations.Count)
                parked.Add($"stall at reading {stallAt}: {outcome.Kind}, {outcome.Operations.Count} operations, {outcome.Reason ?? outcome.FailedFlowsReason}");
        }

        Assert.Empty(parked);
    }

    [Fact]
    public void Map_ExpressionThatKeepsTimingOut_IsParkedWithTheTimeout()
    {
        var set = MappingLoader.Load(MappingFolder.Shipped).Set!;
        var ev = new SourceEvent("1", "jobber-main", "jobber", DateTimeOffset.UnixEpoch, "k",
            System.Text.Json.Nodes.JsonNode.Parse(RouterHarness.Sample("jobber-job-closed.json")));

        var outcome = new MappingEngine(new StallingClock { StallEvery = true }).Map(set, ev);

        Assert.Equal(MappingOutcomeKind.Parked, outcome.Kind);
        Assert.Contains("time limit of 1000 ms was exceeded", outcome.Reason, StringComparison.Ordinal);
    }

    /// <summary>
    /// The real clock, except that from reading <see cref="StallAt"/> on it is 5 s later (a thread stopped for 5 s), or,
    /// with <see cref="StallEvery"/>, 5 s later at every reading (an expression that never ends).
    /// </summary>
    private sealed class StallingClock : TimeProvider
    {
        private long _offset;

        public int StallAt { get; init; }

        public bool StallEvery { get; init; }

        public int Calls { get; private set; }

        public override long GetTimestamp()
        {
            Calls++;
            if (Calls == StallAt || StallEvery)
                _offset += 5 * Stopwatch.Frequency;
            return Stopwatch.GetTimestamp() + _offset;
        }
    }
}
