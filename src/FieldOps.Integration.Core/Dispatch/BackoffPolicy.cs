namespace FieldOps.Integration.Core.Dispatch;

/// <summary>
/// Exponential backoff with full jitter, capped: attempt n waits a random time in [0, min(MaxDelay, BaseDelay·2ⁿ⁻¹)].
/// A wait the target asked for (Retry-After) wins over the computed one.
/// </summary>
internal sealed class BackoffPolicy(TimeSpan baseDelay, TimeSpan maxDelay, Func<double>? random = null)
{
    private readonly Func<double> _random = random ?? Random.Shared.NextDouble;

    /// <summary>The wait before the attempt after <paramref name="attempt"/> (1-based).</summary>
    public TimeSpan Next(int attempt, TimeSpan? retryAfter = null)
    {
        if (retryAfter is { } asked && asked > TimeSpan.Zero)
            return asked;
        var exponent = Math.Clamp(attempt - 1, 0, 30);
        var ceiling = Math.Min(maxDelay.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds(ceiling * _random());
    }
}
