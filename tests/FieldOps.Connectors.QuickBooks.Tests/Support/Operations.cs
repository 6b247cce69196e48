using FieldOps.Integration.Core.Connectors;

namespace FieldOps.Connectors.QuickBooks.Tests.Support;

/// <summary>Outbound operations as the dispatcher hands them over.</summary>
internal static class Operations
{
    public static OutboundOperation QuickBooks(string operation, string objectType, string key, string payloadJson, string? xrefSourceId = null) => new()
    {
        Id = "row-" + key,
        Connector = "quickbooks",
        Operation = operation,
        ObjectType = objectType,
        IdempotencyKey = key,
        PartitionKey = $"quickbooks:{objectType.ToLowerInvariant()}:{key}",
        Payload = OperationPayload.Parse(payloadJson),
        XrefSourceId = xrefSourceId,
    };

    /// <summary>The invoice of fixture invoice-create-response.json, as a flow emits it.</summary>
    public static OutboundOperation CreateInvoice(string key = "JOB-2024-0042") =>
        QuickBooks(OperationNames.Create, "Invoice", key, """
            {"fields": {
              "CustomerRef": {"value": "58"},
              "DocNumber": "JOB-2024-0042",
              "TxnDate": "2025-06-03",
              "PrivateNote": "fs_job_id=JOB-2024-0042",
              "Line": [
                {"DetailType": "SalesItemLineDetail", "Amount": 712.5, "Description": "Technician labour 7.5 h (T-117)",
                 "SalesItemLineDetail": {"ItemRef": {"value": "21", "name": "Field Labor"}, "Qty": 7.5, "UnitPrice": 95, "ServiceDate": "2025-06-03"}},
                {"DetailType": "SalesItemLineDetail", "Amount": 1149, "Description": "50 gal water heater",
                 "SalesItemLineDetail": {"ItemRef": {"value": "34", "name": "Water Heater 50gal"}, "Qty": 1, "UnitPrice": 1149}}
              ]},
             "params": {}}
            """);

    public static OutboundOperation UpsertCustomer(string sourceId, string displayName) =>
        QuickBooks(OperationNames.Upsert, "Customer", "CUST-" + sourceId, $$$"""
            {"fields": {"DisplayName": "{{{displayName}}}", "CompanyName": "{{{displayName}}} LLC",
                        "PrimaryEmailAddr": {"Address": "ops@example.com"}}, "params": {}}
            """, sourceId);
}
