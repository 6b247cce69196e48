using System.Buffers;
using FieldOps.Integration.Core.Intake;
using Microsoft.AspNetCore.Http.Features;

namespace FieldOps.Integration.Host.Intake;

/// <summary><c>POST /webhooks/{source}</c>: read the raw bytes within the source's limit, then hand them to the intake.</summary>
internal static class WebhookEndpoint
{
    public static WebApplication MapWebhookIntake(this WebApplication app)
    {
        app.MapPost("/webhooks/{source}", HandleAsync);
        return app;
    }

    private static async Task HandleAsync(HttpContext context, string source, WebhookIntake intake)
    {
        var options = intake.FindSource(source);
        if (options is null)
        {
            await WriteAsync(context, IntakeResult.Error(404, "unknown source", $"No source '{source}' is configured under Sources.")).ConfigureAwait(false);
            return;
        }
        var body = await ReadBodyAsync(context, options.MaxBodyBytes).ConfigureAwait(false);
        if (body is null)
        {
            await WriteAsync(context, IntakeResult.Error(413, "body too large",
                $"The body exceeds the {options.MaxBodyBytes} bytes allowed for source '{source}' (Sources:{source}:MaxBodyBytes).")).ConfigureAwait(false);
            return;
        }
        var headers = context.Request.Headers;
        var delivery = new WebhookDelivery(
            source,
            context.Request.Method.ToUpperInvariant(),
            RequestUri(context),
            name => headers.TryGetValue(name, out var value) ? value.ToString() : null,
            body);
        var result = await intake.AcceptAsync(delivery, context.Request.ContentType, context.Connection.RemoteIpAddress?.ToString(), context.RequestAborted)
            .ConfigureAwait(false);
        await WriteAsync(context, result).ConfigureAwait(false);
    }

    /// <summary>The URI as the sender called it: scheme and host, then the request target exactly as sent (escapes kept).</summary>
    private static string RequestUri(HttpContext context)
    {
        var request = context.Request;
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw && raw[0] == '/'
            ? raw
            : request.PathBase.Add(request.Path).ToUriComponent() + request.QueryString.ToUriComponent();
        return $"{request.Scheme}://{request.Host.ToUriComponent()}{target}";
    }

    /// <summary>The body, or null when it is longer than <paramref name="limit"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpContext context, long limit)
    {
        if (context.Request.ContentLength > limit)
            return null;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
            sizeFeature.MaxRequestBodySize = null; // we enforce the source's own limit below
        var reader = context.Request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(context.RequestAborted).ConfigureAwait(false);
            if (read.Buffer.Length > limit)
            {
                reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                return null;
            }
            if (read.IsCompleted)
            {
                var bytes = read.Buffer.ToArray();
                reader.AdvanceTo(read.Buffer.End);
                return bytes;
            }
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    private static Task WriteAsync(HttpContext context, IntakeResult result)
    {
        context.Response.StatusCode = result.StatusCode;
        if (result.RetryAfterSeconds is { } seconds)
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return context.Response.WriteAsJsonAsync(result.Body, context.RequestAborted);
    }
}
