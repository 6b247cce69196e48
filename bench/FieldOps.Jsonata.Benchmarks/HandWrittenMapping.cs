using System.Globalization;
using System.Text.Json;

namespace FieldOps.Jsonata.Benchmarks;

/// <summary>The same 20-field mapping written by hand against System.Text.Json.</summary>
public static class HandWrittenMapping
{
    public static void Map(JsonElement root, IReadOnlyDictionary<string, string> statusMap, Utf8JsonWriter w)
    {
        var job = root.GetProperty("job");
        var customer = job.GetProperty("customer");
        var address = job.GetProperty("site").GetProperty("address");
        var schedule = job.GetProperty("schedule");
        var lines = job.GetProperty("lines");
        decimal subtotal = 0;
        foreach (var line in lines.EnumerateArray())
        {
            subtotal += line.GetProperty("quantity").GetDecimal() * line.GetProperty("unitPrice").GetDecimal();
        }

        var priority = job.GetProperty("priority").GetString();
        w.WriteStartObject();
        w.WriteString("externalId", "FP-" + job.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture));
        w.WriteString("title", job.GetProperty("title").GetString());
        if (statusMap.TryGetValue(job.GetProperty("status").GetString()!, out var status))
        {
            w.WriteString("status", status);
        }

        w.WriteString("priority", priority == "high" ? "P1" : priority == "medium" ? "P2" : "P3");
        w.WriteString("customerName", customer.GetProperty("firstName").GetString() + " " + customer.GetProperty("lastName").GetString());
        w.WriteString("customerEmail", customer.GetProperty("email").GetString()!.ToLowerInvariant());
        w.WriteString("customerPhone", customer.GetProperty("phone").GetString());
        w.WriteString("street", address.GetProperty("street").GetString());
        w.WriteString("city", address.GetProperty("city").GetString());
        w.WriteString("postalCode", address.GetProperty("postalCode").GetString());
        w.WriteString("country", address.GetProperty("country").GetString()!.ToUpperInvariant());
        w.WriteString("technician", job.GetProperty("assignee").GetProperty("name").GetString());
        w.WriteString("scheduledStart", schedule.GetProperty("start").GetString());
        w.WriteString("scheduledEnd", schedule.GetProperty("end").GetString());
        w.WriteNumber("durationHours", schedule.GetProperty("durationMinutes").GetDecimal() / 60);
        w.WriteNumber("lineCount", lines.GetArrayLength());
        w.WriteNumber("subtotal", subtotal);
        w.WriteNumber("tax", Math.Round(subtotal * job.GetProperty("taxRate").GetDecimal(), 2, MidpointRounding.ToEven));
        w.WriteStartArray("skus");
        foreach (var line in lines.EnumerateArray())
        {
            w.WriteStringValue(line.GetProperty("sku").GetString());
        }

        w.WriteEndArray();
        w.WriteString("notes", string.Join(' ', job.GetProperty("notes").GetString()!.Split([' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)));
        w.WriteEndObject();
    }
}
