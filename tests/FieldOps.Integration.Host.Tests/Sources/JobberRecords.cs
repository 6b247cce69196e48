using System.Text.Json.Nodes;

namespace FieldOps.Integration.Host.Tests.Sources;

/// <summary>Records as Jobber's GraphQL API returns them, for the fixtures' item ids (the fields the Jobber profile reads).</summary>
public static class JobberRecords
{
    public const string ClientId = "Z2lkOi8vSm9iYmVyL0NsaWVudC8xMjM0NQ==";
    public const string VisitId = "Z2lkOi8vSm9iYmVyL1Zpc2l0LzQ1Njc4OQ==";
    public const string InvoiceId = "Z2lkOi8vSm9iYmVyL0ludm9pY2UvMzEzMzc=";
    public const string TimeSheetId = "Z2lkOi8vSm9iYmVyL1RpbWVTaGVldEVudHJ5Lzc3NzAwMQ==";
    public const string JobId = "Z2lkOi8vSm9iYmVyL0pvYi80MjQy";

    public static JsonObject Client(string updatedAt = "2025-03-14T12:29:58-06:00") => Parse($$$"""
        {"id":"{{{ClientId}}}","name":"Dana Whitfield","firstName":"Dana","lastName":"Whitfield","companyName":null,"isCompany":false,
         "emails":[{"address":"dana.whitfield@example.com","primary":true}],"phones":[{"number":"+1 303 555 0142","description":"Mobile","primary":true}],
         "billingAddress":{"street1":"1200 Pearl St","street2":"Suite 4","city":"Boulder","province":"CO","postalCode":"80302","country":"US"},
         "updatedAt":"{{{updatedAt}}}"}
        """);

    public static JsonObject Visit() => Parse($$$"""
        {"id":"{{{VisitId}}}","title":"Furnace repair","visitStatus":"COMPLETED","startAt":"2025-03-14T10:00:00-06:00","endAt":"2025-03-14T12:00:00-06:00",
         "completedAt":"2025-03-14T12:22:05-06:00","createdAt":"2025-03-01T09:00:00-06:00","updatedAt":"2025-03-14T12:22:04-06:00",
         "job":{"id":"{{{JobId}}}","jobNumber":1042},"client":{"id":"{{{ClientId}}}"},"assignedUsers":{"nodes":[{"id":"Z2lkOi8vSm9iYmVyL1VzZXIvNTAx","name":{"full":"Sam Ortega"}}]}}
        """);

    public static JsonObject Invoice() => Parse($$$"""
        {"id":"{{{InvoiceId}}}","invoiceNumber":2042,"subject":"Furnace repair","invoiceStatus":"awaiting_payment","issuedDate":"2025-03-14T12:25:00-06:00",
         "dueDate":"2025-04-13T12:25:00-06:00","updatedAt":"2025-03-14T12:25:40-06:00","amounts":{"subtotal":209.97,"taxAmount":0,"total":209.97,"invoiceBalance":209.97},
         "client":{"id":"{{{ClientId}}}"},"jobs":{"nodes":[{"id":"{{{JobId}}}"}]},"lineItems":{"nodes":[]}}
        """);

    public static JsonObject TimeSheetEntry() => Parse($$$"""
        {"id":"{{{TimeSheetId}}}","startAt":"2025-03-14T15:00:00-06:00","endAt":"2025-03-14T16:30:00-06:00","finalDuration":5400,"note":null,"approved":true,
         "updatedAt":"2025-03-14T17:05:10-06:00","user":{"id":"Z2lkOi8vSm9iYmVyL1VzZXIvNTAx","name":{"full":"Sam Ortega"},"email":{"raw":"sam.ortega@example.com"}},
         "job":{"id":"{{{JobId}}}"}}
        """);

    /// <summary>The closed job of <c>mappings/samples/jobber-job-closed.json</c>, at <paramref name="updatedAt"/>.</summary>
    public static JsonObject Job(string updatedAt = "2025-03-14T17:09:58-06:00")
    {
        var sample = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Mappings, "samples", "jobber-job-closed.json")))!;
        var record = sample["record"]!.DeepClone().AsObject();
        record["updatedAt"] = updatedAt;
        return record;
    }

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
