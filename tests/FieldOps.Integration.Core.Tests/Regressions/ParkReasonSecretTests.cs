using FieldOps.Integration.Core.Inbox;
using FieldOps.Integration.Core.Secrets;
using FieldOps.Integration.Core.Tests.Mapping;
using FieldOps.Integration.Core.Tests.Routing;

namespace FieldOps.Integration.Core.Tests.Regressions;

/// <summary>Issue 13: a park reason quoted a credential from the payload in plain text (stored and logged).</summary>
public sealed class ParkReasonSecretTests
{
    private const string Token = "tok-4f9a1c2e8b7d";

    [Fact]
    public async Task RouteBatch_MappingErrorEchoingASecret_StoresTheReasonScrubbed()
    {
        var mappings = new MappingFolder();
        var flow = mappings.Read("flows/customer-salesforce.yaml");
        mappings.Write("flows/customer-salesforce.yaml",
            flow.Replace("Name: entity.displayName", "Name: \"$error('refused: ' & entity.displayName)\"", StringComparison.Ordinal));
        var scrubber = new SecretScrubber();
        scrubber.Add(Token);
        await using var harness = await RouterHarness.StartAsync(mappings, scrubber: scrubber);
        var payload = RouterHarness.Sample("canonical-customer-upserted.json").Replace("Bluebird Bakery", $"Bearer zz-{Token} and {Token}", StringComparison.Ordinal);
        var id = await harness.AppendAsync("fsm", payload);

        await harness.Router.RouteBatchAsync(CancellationToken.None);

        var (state, reason) = await harness.StateAsync(id);
        Assert.Equal(InboxEventState.Parked, state);
        Assert.Contains("refused: ", reason, StringComparison.Ordinal);
        Assert.Contains(SecretPatterns.Mask, reason, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, reason, StringComparison.Ordinal);
    }
}
