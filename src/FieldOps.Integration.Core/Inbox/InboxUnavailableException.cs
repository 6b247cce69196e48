namespace FieldOps.Integration.Core.Inbox;

/// <summary>The store could not commit an event: the sender must hear 503 and retry, never 2xx.</summary>
public sealed class InboxUnavailableException : Exception
{
    public InboxUnavailableException() { }

    public InboxUnavailableException(string message) : base(message) { }

    public InboxUnavailableException(string message, Exception innerException) : base(message, innerException) { }
}
