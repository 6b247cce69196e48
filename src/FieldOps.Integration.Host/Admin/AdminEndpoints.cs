using FieldOps.Integration.Core.Intake;
using FieldOps.Integration.Core.Mapping.Loading;
using FieldOps.Integration.Core.Operations;
using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Host.Admin;

/// <summary>
/// The admin API under <c>/admin</c>, behind <c>X-Api-Key</c>: dead letters listed, grouped, inspected, replayed
/// (one or by filter) and discarded; an event's life; re-route with a dry run. The same services as the CLI.
/// </summary>
internal static class AdminEndpoints
{
    public static IServiceCollection AddAdminApi(this IServiceCollection services)
    {
        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AdminOptions>, AdminOptionsValidator>();
        services.AddSingleton<AdminApiKeyFilter>();
        return services;
    }

    public static WebApplication MapAdminApi(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<AdminOptions>>().Value.IsEnabled)
        {
            app.Logger.LogWarning("The admin API is off: set Admin__ApiKey (16+ characters) to turn on /admin");
            app.Map("/admin/{**rest}", () => Results.Json(
                new { error = "admin API disabled", detail = "set Admin:ApiKey (environment Admin__ApiKey) to turn on the admin API" },
                statusCode: StatusCodes.Status404NotFound));
            return app;
        }
        var admin = app.MapGroup("/admin").AddEndpointFilter<AdminApiKeyFilter>();
        admin.MapGet("/deadletters", ListAsync);
        admin.MapGet("/deadletters/groups", GroupAsync);
        admin.MapPost("/deadletters/replay", ReplayMatchingAsync);
        admin.MapGet("/deadletters/{id}", ShowAsync);
        admin.MapPost("/deadletters/{id}/replay", ReplayAsync);
        admin.MapPost("/deadletters/{id}/discard", DiscardAsync);
        admin.MapGet("/events/{id:long}", EventAsync);
        admin.MapPost("/events/{id:long}/reroute", RerouteAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(HttpRequest request, DeadLetterService service, int? limit, long? before, CancellationToken cancellationToken)
    {
        if (FilterOf(request) is not { } filter)
            return BadFilter(request);
        var items = await service.ListAsync(filter, limit ?? 100, before, cancellationToken).ConfigureAwait(false);
        return Ok(new { items, next = items.Count > 0 ? items[^1].Seq : (long?)null });
    }

    private static async Task<IResult> GroupAsync(HttpRequest request, DeadLetterService service, CancellationToken cancellationToken)
    {
        if (FilterOf(request) is not { } filter)
            return BadFilter(request);
        return Ok(new { groups = await service.GroupAsync(filter, cancellationToken).ConfigureAwait(false) });
    }

    private static async Task<IResult> ShowAsync(string id, DeadLetterService service, MappingCatalog catalog, CancellationToken cancellationToken) =>
        await service.ShowAsync(id, cancellationToken).ConfigureAwait(false) is { } found
            ? Ok(AdminViews.Show(found.Row, found.Life, catalog.Root))
            : Error(StatusCodes.Status404NotFound, "not found", $"there is no outbox row {id}");

    private static async Task<IResult> ReplayAsync(HttpContext context, string id, DeadLetterService service, CancellationToken cancellationToken) =>
        await service.ReplayAsync(id, cancellationToken, DeadLetterService.ReplayAudit(ApiActor(context), id, group: false)).ConfigureAwait(false)
            ? Ok(new { replayed = 1 })
            : Error(StatusCodes.Status409Conflict, "not a dead letter", $"outbox row {id} does not exist or is not dead-lettered");

    private static async Task<IResult> ReplayMatchingAsync(
        HttpContext context, HttpRequest request, DeadLetterService service, int? max, bool? all, CancellationToken cancellationToken)
    {
        if (FilterOf(request) is not { } filter)
            return BadFilter(request);
        if (filter.IsEmpty && all != true)
            return Error(StatusCodes.Status400BadRequest, "no filter", "name connector, flow, class, from or to — or all=true to replay every dead letter");
        var replayed = await service.ReplayMatchingAsync(filter, Math.Clamp(max ?? DeadLetterService.DefaultBulkLimit, 1, 100_000), cancellationToken,
            DeadLetterService.ReplayAudit(ApiActor(context), DeadLetterService.Describe(filter), group: true)).ConfigureAwait(false);
        return Ok(new { replayed });
    }

    private static async Task<IResult> DiscardAsync(HttpContext context, string id, DiscardRequest? body, DeadLetterService service, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body?.Reason))
            return Error(StatusCodes.Status400BadRequest, "reason required", "send {\"reason\": \"why this operation is given up\"}");
        return await service.DiscardAsync(id, body.Reason, cancellationToken, DeadLetterService.DiscardAudit(ApiActor(context), id, body.Reason)).ConfigureAwait(false)
            ? Ok(new { discarded = 1 })
            : Error(StatusCodes.Status409Conflict, "not a dead letter", $"outbox row {id} does not exist or is neither dead-lettered nor blocked");
    }

    // The admin API has one key and no user: the audit log names the key and the caller's address.
    private static string ApiActor(HttpContext context) => $"admin API key ({context.Connection.RemoteIpAddress})";

    private static async Task<IResult> EventAsync(long id, IOperationsStore store, CancellationToken cancellationToken) =>
        await store.GetEventLifeAsync(id, cancellationToken).ConfigureAwait(false) is { } life
            ? Ok(AdminViews.Life(life))
            : Error(StatusCodes.Status404NotFound, "not found", $"there is no inbox event {id}");

    private static async Task<IResult> RerouteAsync(
        long id, bool? dryRun, RerouteService service, MappingCatalog catalog, IOptionsMonitor<SourcesOptions> sources, CancellationToken cancellationToken)
    {
        var plan = await service.RerouteAsync(id, catalog.Current, s => sources.CurrentValue.TryGetValue(s, out var o) ? o.Kind : null,
            dryRun ?? false, cancellationToken).ConfigureAwait(false);
        var status = plan.Result switch
        {
            RerouteResult.Routed => StatusCodes.Status200OK,
            RerouteResult.NotFound => StatusCodes.Status404NotFound,
            RerouteResult.Conflict => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status422UnprocessableEntity,
        };
        return Results.Json(plan, AdminViews.Json, statusCode: status);
    }

    private static DeadLetterFilter? FilterOf(HttpRequest request) => AdminQuery.Filter(k => request.Query[k].ToString()).Filter;

    private static IResult BadFilter(HttpRequest request) =>
        Error(StatusCodes.Status400BadRequest, "bad filter", AdminQuery.Filter(k => request.Query[k].ToString()).Error);

    private static IResult Ok(object value) => Results.Json(value, AdminViews.Json);

    private static IResult Error(int status, string error, string? detail) => Results.Json(new { error, detail }, statusCode: status);
}

/// <summary>The body of a discard.</summary>
internal sealed record DiscardRequest(string? Reason);
