using System.Text.Json;
using FieldOps.Integration.Core.Text;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FieldOps.Integration.Host.Health;

/// <summary>
/// <c>/health/live</c> (the process answers) and <c>/health/ready</c> (every check, as JSON: 200 Healthy or
/// Degraded, 503 Unhealthy). Other parts add checks with the <c>ready</c> tag.
/// </summary>
internal static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    private static readonly JsonSerializerOptions SerializerOptions = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public static IServiceCollection AddFieldOpsHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<StoreHealthCheck>("store", tags: [ReadyTag]).AddCheck<InstanceHealthCheck>("instance", tags: [ReadyTag])
            .AddCheck<LoopsHealthCheck>("loops", tags: [ReadyTag]);
        return services;
    }

    public static WebApplication MapFieldOpsHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteAsync,
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });
        return app;
    }

    // Bounded like every other error detail (issue 13): a check's description may quote a driver's long message.
    private const int DetailLimit = 300;

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        // Unhealthy answers 503, an error like any other: it carries {error, detail} beside the per-check report.
        var unhealthy = report.Status == HealthStatus.Unhealthy;
        var detail = unhealthy
            ? string.Join("; ", report.Entries.Where(e => e.Value.Status == HealthStatus.Unhealthy).Select(e => $"{e.Key}: {e.Value.Description ?? "unhealthy"}"))
            : null;
        if (detail is { Length: > DetailLimit })
            detail = TextCut.Cut(detail, DetailLimit - 1) + "…";
        var body = new
        {
            error = unhealthy ? "service unavailable" : null,
            detail,
            status = report.Status.ToString(),
            checks = report.Entries.Select(e => new
            {
                name = e.Key,
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                data = e.Value.Data.Count == 0 ? null : e.Value.Data,
            }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, SerializerOptions, context.RequestAborted);
    }
}
