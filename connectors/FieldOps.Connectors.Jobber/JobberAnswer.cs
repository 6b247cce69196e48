using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Connectors;

namespace FieldOps.Connectors.Jobber;

/// <summary>One GraphQL call's result: the <c>data</c> object, or the outcome that ends the attempt.</summary>
/// <param name="Data">The answer's <c>data</c> when the call succeeded at the transport and GraphQL level.</param>
/// <param name="Failure">The classified failure otherwise.</param>
public sealed record JobberAnswer(JsonObject? Data, DeliveryOutcome? Failure)
{
    /// <summary>The HTTP status of the answer (200 for a refused mutation: Jobber reports those in <c>userErrors</c>).</summary>
    public int? Status { get; init; }

    internal static JobberAnswer Failed(DeliveryOutcome outcome) => new(null, outcome);

    /// <summary>
    /// The payload of mutation <paramref name="field"/>, or the permanent outcome its <c>userErrors</c> carry: Jobber
    /// answers a refused mutation with HTTP 200 and a non-empty <c>userErrors</c> list.
    /// </summary>
    internal (JsonObject? Payload, DeliveryOutcome? Refused) Mutation(string field)
    {
        if (Data?[field] is not JsonObject payload)
            return (null, DeliveryOutcome.Permanent($"Jobber answered no {field} payload."));
        if (payload["userErrors"] is JsonArray { Count: > 0 } errors)
        {
            var messages = errors.Select(e => e?["message"]?.GetValue<string>() ?? "(no message)").ToList();
            var paths = errors.Select(e => e?["path"] is JsonArray path ? string.Join('.', path.Select(p => p?.ToString())) : null)
                .OfType<string>().Where(p => p.Length > 0).ToList();
            return (null, DeliveryOutcome.Permanent($"Jobber {field} userErrors: {string.Join("; ", messages)}", paths) with { StatusCode = Status });
        }
        return (payload, null);
    }
}
