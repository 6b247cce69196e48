using System.Text.Json;
using FieldOps.Integration.Core.Intake;

namespace FieldOps.Sources.Jobber;

/// <summary>
/// The fields of a Jobber webhook (<c>data.webHookEvent</c>): topic, account, item and time. Apps created before
/// 2023-12-08 spell the time <c>occuredAt</c>; both spellings are read.
/// </summary>
/// <param name="Topic">e.g. <c>JOB_CLOSED</c>.</param>
/// <param name="AccountId">The Jobber account's encoded id.</param>
/// <param name="ItemId">The encoded id of the entity the event is about.</param>
/// <param name="OccurredAt">The time as Jobber wrote it.</param>
public sealed record JobberWebhook(string Topic, string AccountId, string ItemId, string OccurredAt)
{
    /// <summary>The dedup key, e.g. <c>jobber:{account}:{topic}:{item}:{occurredAt}</c>.</summary>
    public string DedupKey => "jobber:" + DedupKeyParts.Join([AccountId, Topic, ItemId, OccurredAt]);

    /// <summary>Reads a Jobber payload; throws <see cref="WebhookRejectedException"/> (400) naming what is missing.</summary>
    public static JobberWebhook Read(JsonElement document)
    {
        if (document.ValueKind != JsonValueKind.Object
            || !document.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object
            || !data.TryGetProperty("webHookEvent", out var hook) || hook.ValueKind != JsonValueKind.Object)
        {
            throw new WebhookRejectedException(400, "not a Jobber webhook", "The body has no data.webHookEvent object.");
        }
        return new JobberWebhook(
            Required(hook, "topic"),
            Required(hook, "accountId"),
            Required(hook, "itemId"),
            Optional(hook, "occurredAt") ?? Optional(hook, "occuredAt")
                ?? throw new WebhookRejectedException(400, "not a Jobber webhook", "data.webHookEvent.occurredAt is missing."));
    }

    private static string Required(JsonElement hook, string name) =>
        Optional(hook, name) ?? throw new WebhookRejectedException(400, "not a Jobber webhook", $"data.webHookEvent.{name} is missing.");

    private static string? Optional(JsonElement hook, string name) =>
        hook.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s ? s : null;
}
