namespace FieldOps.Connectors.QuickBooks;

/// <summary>QuickBooks Online's published limits per company (realm), for the dispatcher's limiter.</summary>
public static class QuickBooksLimits
{
    /// <summary>500 requests per minute per realm.</summary>
    public const int RequestsPerMinute = 500;

    /// <summary>10 concurrent requests per realm and app; more answer 429.</summary>
    public const int MaxConcurrentRequests = 10;

    /// <summary>After a 429 (fault 3001) QuickBooks sends no Retry-After; its documentation says wait 60 seconds.</summary>
    public static readonly TimeSpan ThrottleWait = TimeSpan.FromSeconds(60);

    /// <summary>The longest <c>requestid</c> QuickBooks accepts.</summary>
    public const int MaxRequestIdLength = 50;
}
