namespace FieldOps.Integration.Core.Intake;

/// <summary>How a source signs its deliveries.</summary>
public enum SignatureAlgorithm
{
    HmacSha256,
    HmacSha1,
    HmacSha512,

    /// <summary>No signature: only for sources on a trusted network. A warning is logged at start-up.</summary>
    None,
}
