using Microsoft.AspNetCore.Diagnostics;

namespace FieldOps.Integration.Host.Startup;

/// <summary>Every error answer is JSON <c>{"error": "...", "detail": "..."}</c>, even an unexpected one.</summary>
internal static class ErrorBodies
{
    public static WebApplication UseFieldOpsErrorBodies(this WebApplication app)
    {
        app.UseExceptionHandler(errorApp => errorApp.Run(async context =>
        {
            var feature = context.Features.Get<IExceptionHandlerFeature>();
            context.Response.StatusCode = feature?.Error is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;
            await context.Response.WriteAsJsonAsync(new
            {
                error = context.Response.StatusCode == 500 ? "internal error" : "bad request",
                detail = context.Response.StatusCode == 500 ? "The request failed; see the service log." : feature?.Error.Message,
            }).ConfigureAwait(false);
        }));
        return app;
    }
}
