using FieldOps.Integration.Core.Secrets;

namespace FieldOps.Integration.Host.Startup;

/// <summary>
/// Passes every answer of the admin API, health and sources endpoints through the <see cref="SecretScrubber"/>
/// before it leaves: stored texts were scrubbed when written, and this also catches rows written before an upgrade
/// and in-memory reasons (a broken connection's). Webhook and metrics answers carry no such text and skip it.
/// </summary>
internal static class ResponseScrubbing
{
    public static WebApplication UseFieldOpsResponseScrubbing(this WebApplication app)
    {
        var scrubber = app.Services.GetRequiredService<SecretScrubber>();
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            if (path.StartsWithSegments("/webhooks") || path.StartsWithSegments("/metrics"))
            {
                await next(context).ConfigureAwait(false);
                return;
            }
            var original = context.Response.Body;
            await using var buffer = new MemoryStream();
            context.Response.Body = buffer;
            try
            {
                await next(context).ConfigureAwait(false);
            }
            finally
            {
                context.Response.Body = original;
            }
            if (buffer.Length == 0)
                return; // nothing written: leave the response unstarted, so the error body can still be added
            buffer.Position = 0;
            var text = await new StreamReader(buffer).ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
            var bytes = System.Text.Encoding.UTF8.GetBytes(scrubber.Scrub(text));
            if (context.Response.ContentLength is not null)
                context.Response.ContentLength = bytes.Length;
            await original.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
        });
        return app;
    }
}
