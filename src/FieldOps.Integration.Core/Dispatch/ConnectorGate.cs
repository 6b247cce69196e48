using System.Threading.RateLimiting;
using FieldOps.Integration.Core.Connectors;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;

namespace FieldOps.Integration.Core.Dispatch;

/// <summary>
/// One connector's circuit breaker, rate limiter and throttle pause (Polly 8). The dispatcher asks it before claiming
/// (an open breaker or a throttle pause claims nothing, so no attempt is burnt) and runs each call through it.
/// </summary>
internal sealed partial class ConnectorGate : IAsyncDisposable
{
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CircuitBreakerStateProvider _breakerState = new();
    private readonly List<RateLimiter> _limiters = [];
    private readonly object _lock = new();
    private DateTimeOffset _openUntil;
    private DateTimeOffset _pausedUntil;
    private readonly RateLimiter? _window;
    private readonly RateLimitOptions _limits;

    public ConnectorGate(string connector, DispatcherOptions options, RateLimitOptions limits, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(limits);
        Connector = connector;
        _limits = limits;
        _time = time;
        _logger = logger;
        var builder = new ResiliencePipelineBuilder<DeliveryOutcome> { TimeProvider = time, Name = connector };
        if (limits.MaxConcurrency is { } concurrency)
            AddLimiter(builder, new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = concurrency, QueueLimit = int.MaxValue }));
        if (limits.PermitLimit is { } permits)
        {
            AddLimiter(builder, _window = new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
            {
                PermitLimit = permits,
                Window = limits.Window,
                SegmentsPerWindow = 10,
                QueueLimit = int.MaxValue,
                AutoReplenishment = true,
            }));
        }
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<DeliveryOutcome>
        {
            FailureRatio = options.BreakerFailureRatio,
            MinimumThroughput = options.BreakerMinimumThroughput,
            SamplingDuration = options.BreakerSamplingDuration,
            BreakDuration = options.BreakerBreakDuration,
            StateProvider = _breakerState,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is not null || args.Outcome.Result?.Kind is OutcomeKind.Transient or OutcomeKind.OutcomeUnknown),
            OnOpened = args =>
            {
                lock (_lock)
                    _openUntil = _time.GetUtcNow() + args.BreakDuration;
                LogBreakerOpened(_logger, Connector, args.BreakDuration, EventOf(args.Context), OperationOf(args.Context));
                return ValueTask.CompletedTask;
            },
            OnHalfOpened = args =>
            {
                LogBreakerHalfOpened(_logger, Connector, EventOf(args.Context), OperationOf(args.Context));
                return ValueTask.CompletedTask;
            },
            OnClosed = args =>
            {
                LogBreakerClosed(_logger, Connector, EventOf(args.Context), OperationOf(args.Context));
                return ValueTask.CompletedTask;
            },
        });
        Pipeline = builder.Build();
    }

    /// <summary>The inbox event of the call in progress, for the breaker's log lines.</summary>
    public static readonly ResiliencePropertyKey<long> InboxEventIdKey = new("fieldops.inbox-event-id");

    /// <summary>The outbox row of the call in progress, for the breaker's log lines.</summary>
    public static readonly ResiliencePropertyKey<string> OutboxMessageIdKey = new("fieldops.outbox-message-id");

    /// <summary>The connector's name.</summary>
    public string Connector { get; }

    /// <summary>Rate limiter (waits, not attempts) then circuit breaker, around each call.</summary>
    public ResiliencePipeline<DeliveryOutcome> Pipeline { get; }

    /// <summary>The breaker's state as Polly reports it.</summary>
    public CircuitState BreakerState => _breakerState.CircuitState;

    /// <summary>True while the breaker is open and its break has not elapsed.</summary>
    public bool IsBreakerOpen => BreakerState == CircuitState.Open && _time.GetUtcNow() < OpenUntil;

    /// <summary>
    /// What this process's limiter knows of the connector's headroom now: permits left in its window (null when the
    /// connector has no fixed limit) and the end of a throttle pause the target asked for (null when none is running).
    /// </summary>
    public LimiterHeadroom Headroom
    {
        get
        {
            DateTimeOffset pausedUntil;
            lock (_lock)
                pausedUntil = _pausedUntil;
            return new LimiterHeadroom(Connector, _window?.GetStatistics()?.CurrentAvailablePermits, _limits.PermitLimit, _limits.Window,
                pausedUntil > _time.GetUtcNow() ? pausedUntil : null);
        }
    }

    /// <summary>How many rows the dispatcher may claim now, at most <paramref name="wanted"/>.</summary>
    public int ClaimAllowance(int wanted)
    {
        var now = _time.GetUtcNow();
        DateTimeOffset pausedUntil;
        lock (_lock)
            pausedUntil = _pausedUntil;
        if (now < pausedUntil)
            return 0;
        return BreakerState switch
        {
            CircuitState.Open or CircuitState.Isolated => now >= OpenUntil && BreakerState == CircuitState.Open ? Math.Min(1, wanted) : 0,
            CircuitState.HalfOpen => Math.Min(1, wanted),
            _ => wanted,
        };
    }

    /// <summary>Pauses the connector's claims until <paramref name="until"/> (a throttle answer: the target's limit is shared).</summary>
    public void PauseUntil(DateTimeOffset until)
    {
        lock (_lock)
        {
            if (until > _pausedUntil)
                _pausedUntil = until;
        }
    }

    private DateTimeOffset OpenUntil
    {
        get
        {
            lock (_lock)
                return _openUntil;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var limiter in _limiters)
            await limiter.DisposeAsync().ConfigureAwait(false);
    }

    private void AddLimiter(ResiliencePipelineBuilder<DeliveryOutcome> builder, RateLimiter limiter)
    {
        _limiters.Add(limiter);
        builder.AddRateLimiter(new RateLimiterStrategyOptions
        {
            RateLimiter = args => limiter.AcquireAsync(1, args.Context.CancellationToken),
        });
    }

    private static long EventOf(ResilienceContext context) => context.Properties.GetValue(InboxEventIdKey, 0L);

    private static string OperationOf(ResilienceContext context) => context.Properties.GetValue(OutboxMessageIdKey, "-");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Circuit breaker for {Connector} opened for {BreakDuration}: claims paused (after operation {OutboxMessageId} of event {InboxEventId})")]
    private static partial void LogBreakerOpened(ILogger logger, string connector, TimeSpan breakDuration, long inboxEventId, string outboxMessageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Circuit breaker for {Connector} half-open: probing with operation {OutboxMessageId} of event {InboxEventId}")]
    private static partial void LogBreakerHalfOpened(ILogger logger, string connector, long inboxEventId, string outboxMessageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Circuit breaker for {Connector} closed: claims resumed (operation {OutboxMessageId} of event {InboxEventId} worked)")]
    private static partial void LogBreakerClosed(ILogger logger, string connector, long inboxEventId, string outboxMessageId);
}
