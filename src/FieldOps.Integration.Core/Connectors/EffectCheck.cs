namespace FieldOps.Integration.Core.Connectors;

/// <summary>What a connector found when asked whether a non-idempotent operation already took effect.</summary>
public enum EffectCheck
{
    /// <summary>The effect is not there: sending is safe.</summary>
    NotApplied,

    /// <summary>The effect is there: record the operation as delivered without sending.</summary>
    Applied,

    /// <summary>The connector cannot tell: dead-letter as <em>outcome unknown</em> for the admin.</summary>
    Unknown,
}
