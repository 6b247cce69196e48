using System.Text;
using System.Text.Json;

namespace FieldOps.Sources.HubSpot.Tests;

public sealed class HubSpotWebhookBatchTests
{
    [Fact]
    public void Split_ABatch_GivesOneEventEachWithAKeyThatIgnoresTheAttempt()
    {
        const string batch = """
            [{"eventId":1,"subscriptionId":7,"portalId":44237313,"appId":4210286,"occurredAt":1731612159499,"subscriptionType":"ticket.creation","attemptNumber":0,"objectId":512,"changeSource":"CRM_UI"},
             {"eventId":1,"subscriptionId":8,"portalId":44237313,"appId":4210286,"occurredAt":1731612159499,"eventType":"ticket.propertyChange","attemptNumber":3,"objectId":512,"propertyName":"subject","propertyValue":"No heat"}]
            """;
        var events = HubSpotWebhookBatch.Split(Encoding.UTF8.GetBytes(batch));

        Assert.Equal(2, events.Count);
        Assert.Equal("hubspot:44237313:7:1:512:1731612159499:", events[0].DedupKey);
        Assert.Equal("hubspot:44237313:8:1:512:1731612159499:subject", events[1].DedupKey);
        Assert.Equal("ticket.propertyChange", events[1].SubscriptionType);

        var redelivered = HubSpotWebhookBatch.Split(Encoding.UTF8.GetBytes(batch.Replace("\"attemptNumber\":0", "\"attemptNumber\":1", StringComparison.Ordinal)));
        Assert.Equal(events[0].DedupKey, redelivered[0].DedupKey);
    }

    [Fact]
    public void Split_NotAnArray_IsRefused()
    {
        Assert.Throws<JsonException>(() => HubSpotWebhookBatch.Split("""{"eventId":1}"""u8));
        Assert.Throws<JsonException>(() => HubSpotWebhookBatch.Split("""[{"eventId":1}]"""u8));
    }
}
