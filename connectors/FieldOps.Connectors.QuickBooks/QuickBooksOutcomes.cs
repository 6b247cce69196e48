using System.Net;
using FieldOps.Integration.Core.Connectors;

namespace FieldOps.Connectors.QuickBooks;

/// <summary>
/// The one place QuickBooks answers become outcomes (fact sheet §3.5, §3.6, §5). Faults are classified by their code
/// first, because QuickBooks puts them inside HTTP 200 too, then by status.
/// </summary>
internal static class QuickBooksOutcomes
{
    /// <summary>Classifies a reply that is not a success.</summary>
    public static DeliveryOutcome Classify(QuickBooksReply reply)
    {
        var outcome = ClassifyCore(reply);
        return outcome with { StatusCode = (int)reply.Status, ResponseExcerpt = reply.Excerpt };
    }

    private static DeliveryOutcome ClassifyCore(QuickBooksReply reply)
    {
        var status = (int)reply.Status;
        var text = reply.Describe();
        var faultType = reply.Envelope.Fault?.Type ?? "";

        if (reply.Status == HttpStatusCode.Unauthorized || reply.HasError("3200"))
            return DeliveryOutcome.AuthExpired(text);
        if (reply.Status == HttpStatusCode.TooManyRequests || reply.HasError("3001"))
            return DeliveryOutcome.Throttled(reply.RetryAfter ?? QuickBooksLimits.ThrottleWait, text);
        if (reply.Status == HttpStatusCode.Forbidden || reply.HasError("3100") || reply.HasError("6190"))
            return DeliveryOutcome.ConnectionBroken(text); // app not authorised for the company, or its subscription lapsed
        if (reply.HasError("5010"))
            return DeliveryOutcome.Conflict(text);
        if (status >= 500 || status == 408 || reply.HasError("10000")
            || faultType.Equals("SystemFault", StringComparison.OrdinalIgnoreCase)
            || faultType.Equals("Service", StringComparison.OrdinalIgnoreCase))
            return DeliveryOutcome.Transient(text, reply.RetryAfter);
        if (status is >= 200 and < 300 && reply.Errors.Count == 0)
            return DeliveryOutcome.Transient($"QuickBooks answered HTTP {status} with a body the connector could not read: {reply.Excerpt}");

        var fields = reply.Errors.Select(e => e.Element).Where(e => !string.IsNullOrEmpty(e)).Select(e => e!).ToList();
        return DeliveryOutcome.Permanent(text, fields);
    }
}
