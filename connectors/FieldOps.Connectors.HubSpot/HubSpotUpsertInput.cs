using System.Text.Json.Nodes;

namespace FieldOps.Connectors.HubSpot;

/// <summary>One input of a batch upsert: the unique property's value, its name, and the properties to write.</summary>
/// <param name="Id">The unique property's value (our idempotency key).</param>
/// <param name="IdProperty">The unique property (<c>email</c>, <c>fs_customer_id</c>, <c>fs_job_id</c>).</param>
/// <param name="Properties">The properties, named as HubSpot names them.</param>
/// <param name="ObjectWriteTraceId">Our operation key, echoed back in results and errors to tie them to inputs.</param>
public sealed record HubSpotUpsertInput(string Id, string IdProperty, JsonObject Properties, string ObjectWriteTraceId);
