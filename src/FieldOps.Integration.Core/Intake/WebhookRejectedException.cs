namespace FieldOps.Integration.Core.Intake;

/// <summary>A delivery the intake refuses: the HTTP status and the JSON error body the sender gets.</summary>
public sealed class WebhookRejectedException : Exception
{
    public WebhookRejectedException(int statusCode, string error, string detail) : base($"{error}: {detail}")
    {
        StatusCode = statusCode;
        Error = error;
        Detail = detail;
    }

    public WebhookRejectedException() : this(400, "bad request", "") { }

    public WebhookRejectedException(string message) : this(400, "bad request", message) { }

    public WebhookRejectedException(string message, Exception innerException) : base(message, innerException)
    {
        StatusCode = 400;
        Error = "bad request";
        Detail = message;
    }

    public int StatusCode { get; }

    public string Error { get; } = "";

    public string Detail { get; } = "";
}
