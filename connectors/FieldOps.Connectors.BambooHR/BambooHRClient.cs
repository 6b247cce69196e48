using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace FieldOps.Connectors.BambooHR;

/// <summary>The BambooHR calls, each read into a <see cref="BambooHRReply"/>.</summary>
internal sealed class BambooHRClient(IServiceProvider services, TimeProvider time)
{
    // Typed Refit clients are transient: resolving one per call lets the HttpClientFactory rotate its handlers.
    private IBambooHRApi Api => services.GetRequiredService<IBambooHRApi>();

    public async Task<BambooHRReply> RecordHoursAsync(JsonArray records, CancellationToken cancellationToken) =>
        await BambooHRReply.ReadAsync(await Api.RecordHoursAsync(records, cancellationToken).ConfigureAwait(false), time, cancellationToken)
            .ConfigureAwait(false);

    public async Task<BambooHRReply> GetDirectoryAsync(CancellationToken cancellationToken) =>
        await BambooHRReply.ReadAsync(await Api.GetDirectoryAsync(cancellationToken).ConfigureAwait(false), time, cancellationToken)
            .ConfigureAwait(false);

    public async Task<BambooHRReply> GetUsersAsync(CancellationToken cancellationToken) =>
        await BambooHRReply.ReadAsync(await Api.GetUsersAsync(cancellationToken).ConfigureAwait(false), time, cancellationToken)
            .ConfigureAwait(false);
}
