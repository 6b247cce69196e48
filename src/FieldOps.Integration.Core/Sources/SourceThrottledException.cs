namespace FieldOps.Integration.Core.Sources;

/// <summary>The source refused a call for now (Jobber <c>THROTTLED</c>, HTTP 429): wait <see cref="RetryAfter"/>, then try again.</summary>
public sealed class SourceThrottledException : Exception
{
    public SourceThrottledException() { }

    public SourceThrottledException(string message) : base(message) { }

    public SourceThrottledException(string message, Exception innerException) : base(message, innerException) { }

    public SourceThrottledException(string message, TimeSpan retryAfter) : base(message) => RetryAfter = retryAfter;

    /// <summary>How long to wait before the next call.</summary>
    public TimeSpan RetryAfter { get; } = TimeSpan.FromSeconds(1);
}
