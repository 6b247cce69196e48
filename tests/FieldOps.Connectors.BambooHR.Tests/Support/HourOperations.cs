using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Connectors;

namespace FieldOps.Connectors.BambooHR.Tests.Support;

/// <summary>log-time operations as a flow emits them (hour-record-create.json's values).</summary>
internal static class HourOperations
{
    public static OutboundOperation LogTime(string key = "JOB-2024-0042-T117-20250603", string technicianId = "T-117",
        string? email = null, decimal hours = 7.5m)
    {
        var technician = new JsonObject { ["id"] = technicianId };
        if (email is not null)
            technician["email"] = email;
        var payload = new JsonObject
        {
            ["fields"] = new JsonObject
            {
                ["dateHoursWorked"] = "2025-06-03", ["hoursWorked"] = hours, ["payRate"] = 38.5m,
                ["departmentId"] = 18, ["jobCode"] = 4021, ["jobData"] = "JOB20240042",
            },
            ["params"] = new JsonObject { ["technician"] = technician },
        };
        return new OutboundOperation
        {
            Id = "row-" + key,
            Connector = "bamboohr",
            Operation = OperationNames.LogTime,
            ObjectType = "TimeTrackingRecord",
            IdempotencyKey = key,
            PartitionKey = $"bamboohr:employee:{technicianId}",
            Payload = OperationPayload.Parse(payload.ToJsonString()),
        };
    }
}
