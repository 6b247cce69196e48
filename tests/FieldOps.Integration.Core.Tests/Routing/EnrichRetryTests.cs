using System.Diagnostics;
using FieldOps.Integration.Core.Connectors;
using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Core.Mapping.Loading;
using FieldOps.Integration.Core.Routing;
using FieldOps.Integration.Storage.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Core.Tests.Routing;

/// <summary>
/// A flow's enrich read that fails: one that may pass (an outage) is read again later with backoff while the rest of
/// the batch is routed; after the last attempt, or at once for a refusal for good, the event is parked. The real
/// router and store (SQLite, and PostgreSQL where the SQL matters); the reader answers as the shipped sample.
/// </summary>
public sealed class EnrichRetryTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task RouteBatch_ReadFailsTransientlyTwice_TheEventWaitsOutOfTheBatch_ThenRoutesOnTheThirdRead() =>
        await TransientThenAnsweredAsync(await RouterHarness.StartAsync());

    [PostgresFact]
    public async Task RouteBatch_ReadFailsTransientlyTwice_TheEventWaitsOutOfTheBatch_ThenRoutesOnTheThirdReadOnPostgres() =>
        await TransientThenAnsweredAsync(await RouterHarness.StartAsync(new PostgresTestDatabase()));

    [Fact]
    public async Task RouteBatch_ReadKeepsFailingTransiently_IsParkedAfterTheLastAttempt() =>
        await GivesUpAsync(await RouterHarness.StartAsync());

    [PostgresFact]
    public async Task RouteBatch_ReadKeepsFailingTransiently_IsParkedAfterTheLastAttemptOnPostgres() =>
        await GivesUpAsync(await RouterHarness.StartAsync(new PostgresTestDatabase()));

    [Fact]
    public async Task RouteBatch_ReadRefusedForGood_IsParkedAtOnceWithoutARetry()
    {
        await using var harness = await RouterHarness.StartAsync();
        harness.SalesforceReader.FailNext(ConnectorReadResult.Failed("Permanent: INVALID_FIELD: No such column 'FS_Customer_Id__c' on entity 'Account'."));
        var visit = await harness.AppendAsync("jobber-main", RouterHarness.Sample("jobber-visit-create.json"));

        await harness.Router.RouteBatchAsync(CancellationToken.None);
        await Task.Delay(harness.Options.EnrichRetryDelay * 4);
        await harness.Router.RouteBatchAsync(CancellationToken.None);

        var (state, reason) = await harness.StateAsync(visit);
        Assert.Equal(InboxEventState.Parked, state);
        Assert.Contains("enrich $crm (salesforce query) failed: Permanent: INVALID_FIELD", reason, StringComparison.Ordinal);
        Assert.Single(harness.SalesforceReader.Reads);
    }

    [Fact]
    public void RetryDelay_DoublesFromTheFirstDelay_TakesALongerRetryAfter_AndIsBounded()
    {
        var enricher = new EventEnricher(new ServiceCollection().BuildServiceProvider(), null,
            Options.Create(new MappingOptions { EnrichRetryDelay = TimeSpan.FromSeconds(30), EnrichRetryMaxDelay = TimeSpan.FromMinutes(30) }));

        Assert.Equal(TimeSpan.FromSeconds(30), enricher.RetryDelay(1, null));
        Assert.Equal(TimeSpan.FromMinutes(1), enricher.RetryDelay(2, null));
        Assert.Equal(TimeSpan.FromMinutes(8), enricher.RetryDelay(5, null));
        Assert.Equal(TimeSpan.FromMinutes(30), enricher.RetryDelay(7, null));
        Assert.Equal(TimeSpan.FromMinutes(30), enricher.RetryDelay(500, null));
        Assert.Equal(TimeSpan.FromMinutes(5), enricher.RetryDelay(1, TimeSpan.FromMinutes(5)));
        Assert.Equal(TimeSpan.FromMinutes(1), enricher.RetryDelay(2, TimeSpan.FromSeconds(1)));
        Assert.Equal(TimeSpan.FromMinutes(30), enricher.RetryDelay(1, TimeSpan.FromHours(3)));
    }

    [Theory]
    [InlineData(OutcomeKind.Transient, true)]
    [InlineData(OutcomeKind.Throttled, true)]
    [InlineData(OutcomeKind.AuthExpired, true)]
    [InlineData(OutcomeKind.ConnectionBroken, true)]
    [InlineData(OutcomeKind.Permanent, false)]
    public void ReadResult_FromAClassifiedAnswer_OnlyAPermanentRefusalIsForGood(OutcomeKind kind, bool transient)
    {
        var outcome = kind switch
        {
            OutcomeKind.Transient => DeliveryOutcome.Transient("SERVER_UNAVAILABLE", TimeSpan.FromSeconds(7)),
            OutcomeKind.Throttled => DeliveryOutcome.Throttled(TimeSpan.FromSeconds(7), "REQUEST_LIMIT_EXCEEDED"),
            OutcomeKind.AuthExpired => DeliveryOutcome.AuthExpired("INVALID_SESSION_ID"),
            OutcomeKind.ConnectionBroken => DeliveryOutcome.ConnectionBroken("API_DISABLED_FOR_ORG"),
            _ => DeliveryOutcome.Permanent("MALFORMED_QUERY"),
        };

        var result = ConnectorReadResult.From(outcome);

        Assert.Equal(transient, result.Transient);
        Assert.StartsWith($"{kind}: ", result.Failure, StringComparison.Ordinal);
        if (kind is OutcomeKind.Transient or OutcomeKind.Throttled)
            Assert.Equal(TimeSpan.FromSeconds(7), result.RetryAfter);
    }

    private static async Task TransientThenAnsweredAsync(RouterHarness harness)
    {
        await using var _ = harness;
        harness.Options.EnrichRetryDelay = TimeSpan.FromMilliseconds(800);
        harness.SalesforceReader.FailNext(
            ConnectorReadResult.FailedTransiently("Transient: HTTP 503"),
            ConnectorReadResult.FailedTransiently("Transient: SERVER_UNAVAILABLE: try again"));
        var visit = await harness.AppendAsync("jobber-main", RouterHarness.Sample("jobber-visit-create.json"));
        var other = await harness.AppendAsync("jobber-main", RouterHarness.Sample("jobber-client-update.json"));

        Assert.Equal(2, await harness.Router.RouteBatchAsync(CancellationToken.None));

        // The visit waits, saying why and when; the other event of the batch was routed all the same.
        var (state, reason) = await harness.StateAsync(visit);
        Assert.Equal(InboxEventState.AwaitingEnrichment, state);
        Assert.Contains("enrich $crm (salesforce query) failed: Transient: HTTP 503 (attempt 1 of 8; reading again at ", reason, StringComparison.Ordinal);
        Assert.Equal(InboxEventState.Routed, (await harness.StateAsync(other)).State);
        Assert.NotEmpty(await harness.OutboxAsync(other));
        // Not due yet: the next batch neither reads nor takes the waiting event.
        Assert.Equal(0, await harness.Router.RouteBatchAsync(CancellationToken.None));
        Assert.Single(harness.SalesforceReader.Reads);

        var routed = await RouteUntilAsync(harness, visit, InboxEventState.Routed);

        Assert.Equal(3, harness.SalesforceReader.Reads.Count);
        // The second failure waited twice as long as the first before the third read.
        Assert.True(routed >= TimeSpan.FromMilliseconds(800 + 1600 - 200), $"routed after {routed}");
        var note = Assert.Single(await harness.OutboxAsync(visit));
        Assert.Equal("visit-crm-context", note.Flow);
        Assert.Contains("2 open cases", note.Payload, StringComparison.Ordinal);
        // Routed once: a later batch reads nothing more.
        await harness.Router.RouteBatchAsync(CancellationToken.None);
        Assert.Equal(3, harness.SalesforceReader.Reads.Count);
    }

    private static async Task GivesUpAsync(RouterHarness harness)
    {
        await using var _ = harness;
        harness.Options.EnrichReadAttempts = 3;
        harness.SalesforceReader.FailNext([.. Enumerable.Repeat(ConnectorReadResult.FailedTransiently("Transient: HTTP 503"), 10)]);
        var visit = await harness.AppendAsync("jobber-main", RouterHarness.Sample("jobber-visit-create.json"));

        await RouteUntilAsync(harness, visit, InboxEventState.Parked);

        var (_, reason) = await harness.StateAsync(visit);
        Assert.Contains("enrich $crm (salesforce query) failed: Transient: HTTP 503 (attempt 3 of 3; no more retries)", reason, StringComparison.Ordinal);
        Assert.Equal(3, harness.SalesforceReader.Reads.Count);
        Assert.Empty(await harness.OutboxAsync(visit));
    }

    /// <summary>Runs the router as its service does (a batch, a short sleep) until the event reaches <paramref name="state"/>; returns how long that took.</summary>
    private static async Task<TimeSpan> RouteUntilAsync(RouterHarness harness, long eventId, string state)
    {
        var clock = Stopwatch.StartNew();
        while ((await harness.StateAsync(eventId)).State != state)
        {
            Assert.True(clock.Elapsed < s_deadline, $"event {eventId} is {(await harness.StateAsync(eventId)).State}, not {state}, after {clock.Elapsed}");
            await harness.Router.RouteBatchAsync(CancellationToken.None);
            await Task.Delay(20);
        }
        return clock.Elapsed;
    }
}
