namespace FieldOps.Integration.Core.Credentials;

/// <summary>
/// The connection's grant was revoked or its client is wrong (<c>invalid_grant</c>, <c>invalid_client</c>): no retry
/// helps until an admin reconnects it. Its operations stay queued.
/// </summary>
public sealed class ConnectionBrokenException : Exception
{
    public ConnectionBrokenException(string connection, string reason)
        : base($"Connection '{connection}' is broken: {reason}")
    {
        Connection = connection;
        Reason = reason;
    }

    public ConnectionBrokenException() : this("unknown", "unknown") { }

    public ConnectionBrokenException(string message) : this("unknown", message) { }

    public ConnectionBrokenException(string message, Exception innerException) : base(message, innerException)
    {
        Connection = "unknown";
        Reason = message;
    }

    /// <summary>The connection name, e.g. <c>quickbooks:default</c>.</summary>
    public string Connection { get; } = "unknown";

    /// <summary>The issuer's reason.</summary>
    public string Reason { get; } = "";
}
