using FieldOps.Integration.Core.Connectors;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Core.Dispatch;

/// <summary>
/// One <see cref="ConnectorGate"/> per registered connector, its limits read from <c>Connectors:{Name}:RateLimit</c>
/// over the vendor defaults of <see cref="RateLimitOptions.DefaultsFor"/>.
/// </summary>
public sealed class ConnectorGates : IAsyncDisposable
{
    private readonly Dictionary<string, ConnectorGate> _gates = new(StringComparer.Ordinal);

    public ConnectorGates(
        IEnumerable<IConnector> connectors, IOptions<DispatcherOptions> options, IConfiguration configuration, TimeProvider time,
        ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(connectors);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(loggers);
        var logger = loggers.CreateLogger<ConnectorGate>();
        foreach (var name in connectors.Select(c => c.Name).Distinct(StringComparer.Ordinal))
        {
            var limits = RateLimitOptions.DefaultsFor(name);
            configuration.GetSection($"Connectors:{name}:RateLimit").Bind(limits);
            if (limits.PermitLimit is <= 0 || limits.MaxConcurrency is <= 0 || limits.Window <= TimeSpan.Zero)
            {
                throw new OptionsValidationException($"Connectors:{name}:RateLimit", typeof(RateLimitOptions),
                    [$"Connectors:{name}:RateLimit: PermitLimit {limits.PermitLimit}, MaxConcurrency {limits.MaxConcurrency} and Window {limits.Window} must be positive."]);
            }
            _gates[name] = new ConnectorGate(name, options.Value, limits, time, logger);
        }
    }

    /// <summary>The gate of <paramref name="connector"/>.</summary>
    internal ConnectorGate this[string connector] => _gates[connector];

    /// <summary>Every gate.</summary>
    internal IEnumerable<ConnectorGate> All => _gates.Values;

    /// <summary>Each connector's circuit-breaker state, for metrics.</summary>
    public IEnumerable<(string Connector, Polly.CircuitBreaker.CircuitState State)> BreakerStates =>
        _gates.Values.Select(g => (g.Connector, g.BreakerState));

    /// <summary>Each connector's limiter headroom in this process, for the operations page.</summary>
    public IEnumerable<LimiterHeadroom> Headroom => _gates.Values.Select(g => g.Headroom);

    public async ValueTask DisposeAsync()
    {
        foreach (var gate in _gates.Values)
            await gate.DisposeAsync().ConfigureAwait(false);
    }
}
