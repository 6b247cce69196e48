using System.Text.Json.Nodes;

namespace FieldOps.LoadDriver;

/// <summary>
/// Salesforce (token, Account and Case upsert by external id, CaseComment) and HubSpot (company, contact and ticket batch
/// upsert, ticket associations, close, note).
/// </summary>
internal sealed partial class VendorStubs
{
    private static readonly string[] ParentIdField = ["ParentId"];

    private void MapSalesforce(WebApplication app)
    {
        app.MapPost("/services/oauth2/token", () => Results.Json(new
        {
            access_token = "00Dload!stub-token", instance_url = Url, id = Url + "/id/00Dload/005load", token_type = "Bearer",
            issued_at = "1735689600000", signature = "stub",
        }));
        app.MapPatch("/services/data/{version}/sobjects/{sObject}/{field}/{externalId}", (string sObject, string externalId) =>
        {
            var created = false;
            string id;
            if (sObject == "Case")
            {
                id = _cases.GetOrAdd(externalId, _ => { created = true; return NextId("500", 15); });
                _caseJob[id] = externalId;
                Record("sf-case:" + externalId);
            }
            else
            {
                id = _accounts.GetOrAdd(externalId, _ => { created = true; return NextId("001", 15); });
                Record($"sf-{sObject.ToLowerInvariant()}:{externalId}");
            }
            return Results.Json(new { id, success = true, errors = Array.Empty<object>(), created }, statusCode: created ? 201 : 200);
        });
        app.MapPost("/services/data/{version}/sobjects/CaseComment", async (HttpRequest request) =>
        {
            var body = await BodyAsync(request).ConfigureAwait(false);
            var parent = body["ParentId"]?.GetValue<string>() ?? "";
            if (!_caseJob.TryGetValue(parent, out var job))
                return Results.Json(new[] { new { message = $"invalid ParentId {parent}", errorCode = "INVALID_CROSS_REFERENCE_KEY", fields = ParentIdField } }, statusCode: 400);
            Record("sf-comment:" + job);
            return Results.Json(new { id = NextId("00a", 15), success = true, errors = Array.Empty<object>() }, statusCode: 201);
        });
        app.MapGet("/services/data/{version}/query", () => Results.Json(new { totalSize = 0, done = true, records = Array.Empty<object>() }));
    }

    private void MapHubSpot(WebApplication app)
    {
        app.MapPost("/crm/v3/objects/{objectType}/batch/upsert", async (HttpRequest request, string objectType) =>
        {
            var inputs = (await BodyAsync(request).ConfigureAwait(false))["inputs"]!.AsArray();
            var results = new JsonArray();
            foreach (var input in inputs)
            {
                var key = input!["id"]!.GetValue<string>();
                var idProperty = input["idProperty"]?.GetValue<string>() ?? "hs_object_id";
                string id;
                if (objectType == "tickets")
                {
                    id = _tickets.GetOrAdd(key, _ => NextId("", 9));
                    _ticketJob[id] = key;
                    Record("hs-ticket:" + key);
                }
                else
                {
                    id = _hubSpotObjects.GetOrAdd(objectType + ":" + key, _ => NextId("", 9));
                    Record($"hs-{objectType}:{key}");
                }
                results.Add(new JsonObject
                {
                    ["id"] = id, ["properties"] = new JsonObject { [idProperty] = key },
                    ["objectWriteTraceId"] = input["objectWriteTraceId"]?.GetValue<string>(),
                });
            }
            return Results.Json(new JsonObject { ["status"] = "COMPLETE", ["results"] = results });
        });
        app.MapPut("/crm/v4/objects/{fromType}/{fromId}/associations/default/{toType}/{toId}", (string fromType, string fromId, string toType, string toId) =>
        {
            if (!_ticketJob.TryGetValue(fromId, out var job))
                return Results.Json(new { status = "error", message = $"no {fromType} {fromId}", category = "OBJECT_NOT_FOUND" }, statusCode: 404);
            Record($"hs-assoc:{job}:{toType}");
            return Results.Json(new { status = "COMPLETE", results = new[] { new { from = new { id = fromId }, to = new { id = toId } } } });
        });
        app.MapPatch("/crm/v3/objects/tickets/{id}", (string id) =>
        {
            Record("hs-close:" + id);
            return Results.Json(new { id = _tickets.GetValueOrDefault(id, id), properties = new { hs_pipeline_stage = "4" } });
        });
        app.MapPost("/crm/v3/objects/notes", async (HttpRequest request) =>
        {
            var body = await BodyAsync(request).ConfigureAwait(false);
            var ticket = body["associations"]?[0]?["to"]?["id"]?.GetValue<string>() ?? "";
            if (!_ticketJob.TryGetValue(ticket, out var job))
                return Results.Json(new { status = "error", message = $"no ticket {ticket}", category = "VALIDATION_ERROR" }, statusCode: 400);
            Record("hs-note:" + job);
            return Results.Json(new { id = NextId("", 9), properties = new { } }, statusCode: 201);
        });
        app.MapPost("/crm/v3/objects/notes/search", () => Results.Json(new { total = 0, results = Array.Empty<object>() }));
    }
}
