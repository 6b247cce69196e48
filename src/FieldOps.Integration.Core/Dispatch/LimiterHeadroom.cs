namespace FieldOps.Integration.Core.Dispatch;

/// <summary>
/// A connector's client-side limiter as this process sees it: <paramref name="Available"/> of <paramref name="PermitLimit"/>
/// calls left per <paramref name="Window"/> (both null for a connector without a fixed limit), and the end of a throttle
/// pause the target asked for.
/// </summary>
public sealed record LimiterHeadroom(string Connector, long? Available, int? PermitLimit, TimeSpan Window, DateTimeOffset? PausedUntil);
