using System.Text.Json.Nodes;
using Refit;

namespace FieldOps.Connectors.BambooHR;

/// <summary>
/// The BambooHR calls the connector makes. Responses come back raw: the bulk Hours endpoint answers 201 even when items
/// fail, so <see cref="BambooHRReply"/> reads every body.
/// </summary>
[Headers("Accept: application/json")]
public interface IBambooHRApi
{
    /// <summary><c>POST /api/v1/timetracking/record</c>: create or update hour records by our <c>timeTrackingId</c>.</summary>
    [Post("/api/v1/timetracking/record")]
    Task<HttpResponseMessage> RecordHoursAsync([Body] JsonArray records, CancellationToken cancellationToken);

    /// <summary><c>GET /api/v1/employees/directory</c>: active employees with their work email.</summary>
    [Get("/api/v1/employees/directory")]
    Task<HttpResponseMessage> GetDirectoryAsync(CancellationToken cancellationToken);

    /// <summary><c>GET /api/v1/meta/users</c>: the cheapest read, for the connection check.</summary>
    [Get("/api/v1/meta/users")]
    Task<HttpResponseMessage> GetUsersAsync(CancellationToken cancellationToken);
}
