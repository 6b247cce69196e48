using FieldOps.Integration.Core.Text;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;

namespace FieldOps.Integration.Host.Startup;

/// <summary>
/// Every error answer is JSON <c>{"error": "...", "detail": "..."}</c>: an exception, a status the pipeline set
/// without a body (404 for an unknown path, 405 for a wrong method), and — through <see cref="KestrelErrorResponses"/>
/// — the ones Kestrel gives before the pipeline runs. Details are bounded to <see cref="MaxDetailLength"/> characters.
/// </summary>
internal static class ErrorBodies
{
    /// <summary>The longest detail text sent.</summary>
    public const int MaxDetailLength = 300;

    public static WebApplication UseFieldOpsErrorBodies(this WebApplication app)
    {
        app.UseExceptionHandler(errorApp => errorApp.Run(context =>
        {
            var feature = context.Features.Get<IExceptionHandlerFeature>();
            var status = feature?.Error is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;
            context.Response.StatusCode = status;
            var detail = status == StatusCodes.Status500InternalServerError ? "The request failed; see the service log." : feature?.Error.Message;
            return context.Response.WriteAsJsonAsync(Create(status, detail));
        }));
        app.UseStatusCodePages(context =>
        {
            var http = context.HttpContext;
            var status = http.Response.StatusCode;
            var detail = status switch
            {
                StatusCodes.Status404NotFound => $"Nothing is served at {http.Request.Path}.",
                StatusCodes.Status405MethodNotAllowed => $"{http.Request.Method} is not allowed for {http.Request.Path}" +
                    (http.Response.Headers.Allow is { Count: > 0 } allow ? $"; use {allow}." : "."),
                _ => $"{http.Request.Method} {http.Request.Path} answered {status}.",
            };
            return http.Response.WriteAsJsonAsync(Create(status, detail));
        });
        return app;
    }

    /// <summary>The error body for <paramref name="status"/>: the reason phrase in lower case, and the bounded detail.</summary>
    public static object Create(int status, string? detail) => new
    {
        error = (ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "error").ToLowerInvariant(),
        detail = Bound(detail ?? ""),
    };

    /// <summary><paramref name="detail"/> cut to <see cref="MaxDetailLength"/> characters.</summary>
    public static string Bound(string detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        return detail.Length <= MaxDetailLength ? detail : TextCut.Cut(detail, MaxDetailLength - 1) + "…";
    }
}
