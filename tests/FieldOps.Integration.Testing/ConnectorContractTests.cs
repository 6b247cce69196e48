using FieldOps.Integration.Core.Connectors;
using WireMock.Server;
using Xunit;

namespace FieldOps.Integration.Testing;

/// <summary>
/// The behaviour every connector must show, run against a real HTTP server (WireMock.Net) that answers like the
/// vendor. A connector's test class inherits this, builds the connector pointed at <see cref="Server"/>, and arranges
/// the vendor's answer for each scenario; the assertions here are the contract the dispatcher relies on.
/// </summary>
public abstract class ConnectorContractTests : IDisposable
{
    protected ConnectorContractTests() => Server = WireMockServer.Start();

    /// <summary>The vendor stand-in, on a free loopback port.</summary>
    protected WireMockServer Server { get; }

    /// <summary>The connector under test, configured with <see cref="Server"/>'s URL as its base address.</summary>
    protected abstract IConnector CreateConnector();

    /// <summary>An operation that the connector carries out with the calls arranged below.</summary>
    protected abstract OutboundOperation CreateOperation();

    /// <summary>The vendor accepts the operation and assigns <see cref="ExpectedTargetId"/>.</summary>
    protected abstract void ArrangeDelivered();

    /// <summary>The id the vendor assigned in <see cref="ArrangeDelivered"/>.</summary>
    protected abstract string ExpectedTargetId { get; }

    /// <summary>The vendor fails with a passing fault (a 5xx, or its own transient code).</summary>
    protected abstract void ArrangeTransient();

    /// <summary>The vendor throttles, telling us to wait <see cref="ExpectedThrottleWait"/>.</summary>
    protected abstract void ArrangeThrottled();

    /// <summary>How long the connector must report to wait after <see cref="ArrangeThrottled"/>.</summary>
    protected abstract TimeSpan ExpectedThrottleWait { get; }

    /// <summary>The vendor says the access token expired.</summary>
    protected abstract void ArrangeAuthExpired();

    /// <summary>The vendor refuses the operation for good (validation).</summary>
    protected abstract void ArrangePermanent();

    /// <summary>Text of the vendor's own error that must reach the dead letter.</summary>
    protected abstract string ExpectedPermanentText { get; }

    /// <summary>
    /// For connectors that send several operations in one vendor call (HubSpot's batch upsert, BambooHR's bulk hours):
    /// that call, or null when the connector has none.
    /// </summary>
    protected virtual Task<IReadOnlyList<DeliveryOutcome>>? DeliverBatchAsync(IReadOnlyList<OutboundOperation> operations) =>
        CreateConnector() is IBatchConnector batch ? batch.DeliverBatchAsync(operations, CancellationToken.None) : null;

    /// <summary>For batch connectors: operations sent in one call, where the vendor accepts some and refuses others.</summary>
    protected virtual IReadOnlyList<OutboundOperation> CreateBatch() => [];

    /// <summary>Arranges the vendor's partial answer to <see cref="CreateBatch"/>.</summary>
    protected virtual void ArrangePartialBatch() { }

    /// <summary>The outcome kind expected for each operation of <see cref="CreateBatch"/>, in order.</summary>
    protected virtual IReadOnlyList<OutcomeKind> ExpectedBatchOutcomes => [];

    [Fact]
    public async Task Deliver_WhenTargetAccepts_ReturnsDeliveredWithTargetId()
    {
        ArrangeDelivered();
        var outcome = await CreateConnector().DeliverAsync(CreateOperation(), CancellationToken.None);
        Assert.Equal(OutcomeKind.Delivered, outcome.Kind);
        Assert.Equal(ExpectedTargetId, outcome.TargetId);
    }

    [Fact]
    public async Task Deliver_OnTransientFailure_ReturnsTransient()
    {
        ArrangeTransient();
        var outcome = await CreateConnector().DeliverAsync(CreateOperation(), CancellationToken.None);
        Assert.Equal(OutcomeKind.Transient, outcome.Kind);
    }

    [Fact]
    public async Task Deliver_WhenThrottled_ReturnsThrottledWithTheWait()
    {
        ArrangeThrottled();
        var outcome = await CreateConnector().DeliverAsync(CreateOperation(), CancellationToken.None);
        Assert.Equal(OutcomeKind.Throttled, outcome.Kind);
        Assert.Equal(ExpectedThrottleWait, outcome.RetryAfter);
    }

    [Fact]
    public async Task Deliver_OnExpiredToken_ReturnsAuthExpired()
    {
        ArrangeAuthExpired();
        var outcome = await CreateConnector().DeliverAsync(CreateOperation(), CancellationToken.None);
        Assert.Equal(OutcomeKind.AuthExpired, outcome.Kind);
    }

    [Fact]
    public async Task Deliver_OnValidationError_ReturnsPermanentWithTheTargetsText()
    {
        ArrangePermanent();
        var outcome = await CreateConnector().DeliverAsync(CreateOperation(), CancellationToken.None);
        Assert.Equal(OutcomeKind.Permanent, outcome.Kind);
        Assert.Contains(ExpectedPermanentText, outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeliverBatch_OnPartialFailure_ReturnsOneOutcomePerOperation()
    {
        ArrangePartialBatch();
        var operations = CreateBatch();
        if (DeliverBatchAsync(operations) is not { } call)
        {
            // A connector without a batch variant must not promise one.
            Assert.Empty(operations);
            return;
        }
        Assert.NotEmpty(operations);
        var outcomes = await call;
        Assert.Equal(ExpectedBatchOutcomes, outcomes.Select(o => o.Kind).ToList());
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
            Server.Stop();
    }
}
