using System.Text.Json.Nodes;
using FieldOps.Integration.Core.Hydration;

namespace FieldOps.Integration.Core.Tests.Routing;

/// <summary>
/// A hydrator that is only registered: the router asks whether a source kind has one, never calls it. The hydration
/// itself is tested through the real Jobber hydrator (Sources.Jobber.Tests, Host.Tests).
/// </summary>
internal sealed class RegisteredHydrator : IRecordHydrator
{
    public HydrationRequest? Describe(string source, JsonNode payload) =>
        throw new InvalidOperationException("The router must not describe events for hydration.");

    public Task<HydratedRecord> FetchAsync(HydrationRequest request, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("The router must not fetch records.");
}
