namespace FieldOps.Jsonata.Benchmarks;

/// <summary>A ~2 KB job payload and a 20-field mapping, shared by the benchmarks.</summary>
public static class MappingWorkload
{
    public const string Mapping = """
        {
          "externalId": "FP-" & $string(job.id),
          "title": job.title,
          "status": $lookup($statusMap, job.status),
          "priority": job.priority = "high" ? "P1" : job.priority = "medium" ? "P2" : "P3",
          "customerName": job.customer.firstName & " " & job.customer.lastName,
          "customerEmail": $lowercase(job.customer.email),
          "customerPhone": job.customer.phone,
          "street": job.site.address.street,
          "city": job.site.address.city,
          "postalCode": job.site.address.postalCode,
          "country": $uppercase(job.site.address.country),
          "technician": job.assignee.name,
          "scheduledStart": job.schedule.start,
          "scheduledEnd": job.schedule.end,
          "durationHours": job.schedule.durationMinutes / 60,
          "lineCount": $count(job.lines),
          "subtotal": $sum(job.lines.(quantity * unitPrice)),
          "tax": $round($sum(job.lines.(quantity * unitPrice)) * job.taxRate, 2),
          "skus": job.lines.sku,
          "notes": $trim(job.notes)
        }
        """;

    public const string StatusMap = """{"Scheduled":"scheduled","InProgress":"in_progress","Completed":"completed","Cancelled":"cancelled"}""";

    public const string Payload = """
        {
          "event": "job.completed",
          "tenant": "northwind-plumbing",
          "job": {
            "id": 51234,
            "title": "Annual boiler maintenance and safety inspection",
            "status": "Completed",
            "priority": "medium",
            "taxRate": 0.0825,
            "customer": {"id": 8812, "firstName": "Dana", "lastName": "Whitfield", "email": "Dana.Whitfield@Example.com", "phone": "+1-512-555-0147"},
            "site": {"id": 3301, "name": "Whitfield residence", "address": {"street": "4417 Cedar Hollow Rd", "city": "Austin", "state": "TX", "postalCode": "78745", "country": "us"}},
            "assignee": {"id": 77, "name": "Marco Alvarez", "team": "North"},
            "schedule": {"start": "2025-03-14T15:00:00Z", "end": "2025-03-14T17:30:00Z", "durationMinutes": 150},
            "lines": [
              {"sku": "LAB-STD", "description": "Standard labour (hour)", "quantity": 2.5, "unitPrice": 89.00},
              {"sku": "PRT-GSK-12", "description": "Gasket set 12mm", "quantity": 2, "unitPrice": 14.99},
              {"sku": "PRT-VLV-3Q", "description": "Quarter-turn valve", "quantity": 1, "unitPrice": 42.50},
              {"sku": "PRT-FLT-20", "description": "Filter cartridge", "quantity": 3, "unitPrice": 19.99},
              {"sku": "CHG-TRIP", "description": "Trip charge", "quantity": 1, "unitPrice": 35.00},
              {"sku": "DSC-LOYAL", "description": "Loyalty discount", "quantity": 1, "unitPrice": -20.00}
            ],
            "notes": "  Replaced gasket set and one valve.\n  Customer asked for a follow-up quote on a water softener.  ",
            "custom": {"permitRequired": false, "warrantyMonths": 12, "source": "phone", "tags": ["boiler", "annual", "residential"]},
            "createdAt": "2025-03-01T09:12:44Z",
            "updatedAt": "2025-03-14T17:41:02Z"
          }
        }
        """;
}
