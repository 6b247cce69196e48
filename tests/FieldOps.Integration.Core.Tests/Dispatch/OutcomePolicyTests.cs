using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Dispatch;
using FieldOps.Integration.Core.Outbox;

namespace FieldOps.Integration.Core.Tests.Dispatch;

public sealed class OutcomePolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private readonly DispatcherOptions _options = new() { MaxAttempts = 3, MaxAge = TimeSpan.FromHours(1) };

    private OutcomePolicy Policy => new(_options, new BackoffPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), () => 1.0));

    private static ClaimedOperation Row(string? xrefSourceId = null) => new()
    {
        Operation = new OutboundOperation
        {
            Id = "r1", Connector = "quickbooks", Operation = "upsert", ObjectType = "Customer", IdempotencyKey = "c42",
            PartitionKey = "quickbooks:customer:42", Payload = OperationPayload.Parse("{}"), XrefSourceId = xrefSourceId,
            Flow = "job-completed",
        },
        Seq = 1, State = OutboxStates.Pending, Attempts = 0, CreatedAt = Now, SourceFile = "mappings/flows/job.yaml",
    };

    [Fact]
    public void Decide_Delivered_RecordsTheTargetIdAndTheCrossReference()
    {
        var update = Policy.Decide(Row("42"), DeliveryOutcome.Delivered("58"), 1, Now, Now, []);

        Assert.Equal(OutboxStates.Delivered, update.State);
        Assert.Equal(("quickbooks", "Customer", "42", "58"), update.CrossReference);
    }

    [Fact]
    public void Decide_Transient_SchedulesABackoffRetry()
    {
        var update = Policy.Decide(Row(), DeliveryOutcome.Transient("503"), 2, Now, Now, []);

        Assert.Equal(OutboxStates.Pending, update.State);
        Assert.Equal(Now.AddSeconds(2), update.NextAttemptAt);
        Assert.Equal(2, update.Attempts);
    }

    [Fact]
    public void Decide_TransientWithRetryAfter_HonoursIt()
    {
        var update = Policy.Decide(Row(), DeliveryOutcome.Transient("503", TimeSpan.FromSeconds(42)), 1, Now, Now, []);

        Assert.Equal(Now.AddSeconds(42), update.NextAttemptAt);
    }

    [Fact]
    public void Decide_TransientOnTheLastAttempt_DeadLettersWithTheReason()
    {
        var update = Policy.Decide(Row(), DeliveryOutcome.Transient("HTTP 503: down"), 3, Now, Now, []);

        Assert.Equal(OutboxStates.Dead, update.State);
        Assert.Contains("Transient: HTTP 503: down", update.DeadReason, StringComparison.Ordinal);
        Assert.Contains("job-completed", update.DeadReason, StringComparison.Ordinal);
        Assert.Contains("mappings/flows/job.yaml", update.DeadReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_TransientPastMaxAge_DeadLetters()
    {
        var update = Policy.Decide(Row(), DeliveryOutcome.Transient("timeout"), 1, Now.AddHours(-2), Now, []);

        Assert.Equal(OutboxStates.Dead, update.State);
    }

    [Fact]
    public void Decide_Throttled_WaitsWithoutCountingTheAttempt()
    {
        var update = Policy.Decide(Row(), DeliveryOutcome.Throttled(TimeSpan.FromSeconds(60), "3001 ThrottleExceeded"), 3, Now, Now, []);

        Assert.Equal(OutboxStates.Pending, update.State);
        Assert.Equal(2, update.Attempts);
        Assert.Equal(Now.AddSeconds(60), update.NextAttemptAt);
    }

    [Fact]
    public void Decide_Permanent_DeadLettersAtOnceWithTheTargetsText()
    {
        var update = Policy.Decide(Row(), DeliveryOutcome.Permanent("6240 Duplicate Name Exists Error"), 1, Now, Now, []);

        Assert.Equal(OutboxStates.Dead, update.State);
        Assert.StartsWith("Permanent: 6240 Duplicate Name Exists Error", update.DeadReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_Configuration_DeadLettersAtOnceUnderItsOwnClass()
    {
        var update = Policy.Decide(Row(), DeliveryOutcome.Configuration("Tax:Mode is UsAutomated, but the company is set up for Global"), 1, Now, Now, []);

        Assert.Equal(OutboxStates.Dead, update.State);
        Assert.Equal(OutcomeKind.Configuration, update.LastOutcome);
        Assert.StartsWith("Configuration: Tax:Mode is UsAutomated", update.DeadReason, StringComparison.Ordinal);
    }
}
