namespace FieldOps.Integration.Core.Intake;

/// <summary>How the signature header spells the digest.</summary>
public enum SignatureEncoding
{
    Hex,
    Base64,
}
