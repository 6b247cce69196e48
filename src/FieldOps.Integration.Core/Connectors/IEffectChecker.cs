namespace FieldOps.Integration.Core.Connectors;

/// <summary>
/// Implemented by connectors with non-idempotent operations: looks for the effect of an operation that may have
/// reached the target before a crash (our operation key embedded in the record, QuickBooks <c>EmailStatus</c>).
/// </summary>
public interface IEffectChecker
{
    /// <summary>Checks whether <paramref name="operation"/> already took effect; returns the target id when it did.</summary>
    Task<(EffectCheck Result, string? TargetId)> CheckEffectAsync(OutboundOperation operation, CancellationToken cancellationToken);
}
