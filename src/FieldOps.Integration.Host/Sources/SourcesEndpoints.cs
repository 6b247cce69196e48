using FieldOps.Integration.Core.Intake;
using FieldOps.Integration.Core.Sources;
using FieldOps.Integration.Host.Admin;
using FieldOps.Integration.Host.Jobs;
using Microsoft.Extensions.Options;
using Quartz;

namespace FieldOps.Integration.Host.Sources;

/// <summary>
/// <c>/admin/sources</c>: each source's watermark, last run, last error and lag; <c>POST /admin/sources/{name}/rewind?to=…</c>
/// replays a period; <c>POST /admin/sources/{name}/poll</c> runs a poll now. Behind the admin API's <c>X-Api-Key</c> check.
/// </summary>
internal static class SourcesEndpoints
{
    public static IEndpointRouteBuilder MapSourcesAdmin(this IEndpointRouteBuilder app)
    {
        // The admin API's own switch and key check (Admin:ApiKey), shared with the rest of /admin.
        if (!app.ServiceProvider.GetRequiredService<IOptions<AdminOptions>>().Value.IsEnabled)
            return app;
        var group = app.MapGroup("/admin/sources").AddEndpointFilter<AdminApiKeyFilter>();
        group.MapGet("/", ListAsync);
        group.MapPost("/{name}/rewind", RewindAsync);
        group.MapPost("/{name}/poll", PollNowAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(
        ISourceStore store, IOptions<SourcesOptions> sources, IOptions<SourceAdaptersOptions> adapters, TimeProvider time, CancellationToken cancellationToken)
    {
        var watermarks = await store.ListWatermarksAsync(cancellationToken).ConfigureAwait(false);
        var kinds = sources.Value.ToDictionary(s => s.Key, s => s.Value.Kind, StringComparer.OrdinalIgnoreCase);
        return Results.Ok(SourceStatus.Build(kinds, adapters.Value, watermarks, time.GetUtcNow()));
    }

    private static async Task<IResult> RewindAsync(
        string name, DateTimeOffset? to, ISourceStore store, IOptions<SourceAdaptersOptions> adapters, TimeProvider time, CancellationToken cancellationToken)
    {
        if (to is null)
            return Results.Problem("Give the instant to replay from: ?to=2026-01-01T00:00:00Z", statusCode: StatusCodes.Status400BadRequest);
        if (Polled(adapters.Value, name) is not { } source)
            return Results.Problem($"Source '{name}' is not polled (Sources:{name}:Poll:Adapter).", statusCode: StatusCodes.Status404NotFound);
        await store.RewindAsync(source, to.Value, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return Results.Ok(await store.GetWatermarkAsync(source, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<IResult> PollNowAsync(
        string name, ISchedulerFactory schedulers, IOptions<SourceAdaptersOptions> adapters, CancellationToken cancellationToken)
    {
        if (Polled(adapters.Value, name) is not { } source)
            return Results.Problem($"Source '{name}' is not polled (Sources:{name}:Poll:Adapter).", statusCode: StatusCodes.Status404NotFound);
        var scheduler = await schedulers.GetScheduler(cancellationToken).ConfigureAwait(false);
        // Through Quartz, so the run still waits for one already in progress ([DisallowConcurrentExecution]).
        await scheduler.TriggerJob(JobsServiceCollectionExtensions.PollJobKey(source), cancellationToken).ConfigureAwait(false);
        return Results.Accepted();
    }

    /// <summary>The configured spelling of a polled source's name (names compare case-insensitively), or null.</summary>
    internal static string? Polled(SourceAdaptersOptions adapters, string name) =>
        adapters.FirstOrDefault(a => string.Equals(a.Key, name, StringComparison.OrdinalIgnoreCase) && a.Value.Poll.IsEnabled).Key;
}
