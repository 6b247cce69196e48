namespace FieldOps.Integration.Core.Intake;

/// <summary>What bytes the sender's HMAC covers.</summary>
public enum SignedContent
{
    /// <summary>The raw body exactly as received.</summary>
    Body,

    /// <summary>The timestamp header's value, a dot, then the raw body (<c>{timestamp}.{body}</c>).</summary>
    TimestampDotBody,
}
