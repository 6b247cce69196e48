using System.Security.Claims;
using FieldOps.Integration.Host.Admin;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Host.Ops;

/// <summary>
/// The operations page: <c>/ops</c> for the IT admin in a browser, off unless <c>Ops:Enabled=true</c>. The login form
/// takes the admin API key and sets an HTTP-only, <c>SameSite=Strict</c> cookie; every other route needs that cookie,
/// and every POST carries an anti-forgery token. The pages call the same services as <c>/admin</c> and the CLI.
/// </summary>
internal static class OpsEndpoints
{
    public const string Scheme = "fieldops-ops";

    public static IServiceCollection AddOpsPage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OpsOptions>().BindConfiguration(OpsOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OpsOptions>, OpsOptionsValidator>();
        var options = configuration.GetSection(OpsOptions.SectionName).Get<OpsOptions>() ?? new OpsOptions();
        if (!options.Enabled)
            return services;
        services.AddAuthentication(Scheme).AddCookie(Scheme, cookie =>
        {
            cookie.Cookie.Name = "fieldops_ops";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.Cookie.Path = "/ops";
            cookie.ExpireTimeSpan = options.SessionLifetime;
            cookie.SlidingExpiration = true;
            cookie.LoginPath = "/ops/login";
            cookie.AccessDeniedPath = "/ops/login";
        });
        services.AddAuthorizationBuilder().AddPolicy(Scheme, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser());
        services.AddAntiforgery(a =>
        {
            a.Cookie.Name = "fieldops_ops_af";
            a.Cookie.SameSite = SameSiteMode.Strict;
            a.Cookie.Path = "/ops";
            a.FormFieldName = "__ops_token";
        });
        return services;
    }

    public static WebApplication MapOpsPage(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<OpsOptions>>().Value.Enabled)
            return app;
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapGet("/ops/login", (HttpContext context) => LoginForm(context, null)).AllowAnonymous();
        app.MapPost("/ops/login", LoginAsync).AllowAnonymous();
        var ops = app.MapGroup("/ops").RequireAuthorization(Scheme);
        ops.MapPost("/logout", LogoutAsync);
        ops.MapGet("", OpsOverviewPage.RenderAsync);
        ops.MapGet("/deadletters", OpsDeadLettersPage.RenderAsync);
        ops.MapGet("/events", OpsEventPage.RenderAsync);
        ops.MapGet("/audit", OpsAudit.RenderAsync);
        ops.MapDeadLetterActions().MapRerouteActions();
        return app;
    }

    private static IResult LoginForm(HttpContext context, string? error) => OpsHtml.Page(context, "Log in to the operations page",
        (error is null ? "" : $"<p class=\"err\" role=\"alert\">{OpsHtml.E(error)}</p>") +
        "<form method=\"post\" action=\"/ops/login\">" + OpsHtml.Token(context) +
        "<label for=\"operator\">Your name (recorded in the audit log with every action)</label>" +
        "<input id=\"operator\" name=\"operator\" required maxlength=\"80\" autocomplete=\"username\">" +
        "<label for=\"key\">Admin API key</label><input id=\"key\" name=\"key\" type=\"password\" required autocomplete=\"current-password\">" +
        "<p><button type=\"submit\">Log in</button></p></form>",
        signedIn: false, status: error is null ? StatusCodes.Status200OK : StatusCodes.Status401Unauthorized);

    private static async Task<IResult> LoginAsync(
        HttpContext context, [FromForm(Name = "operator")] string? operatorName, [FromForm] string? key, AdminApiKeyFilter keys, ILoggerFactory loggers)
    {
        var log = loggers.CreateLogger("FieldOps.Ops");
        var name = operatorName?.Trim() ?? "";
        if (!keys.Matches(key) || name.Length is 0 or > 80)
        {
            log.LogWarning("Operations page: refused a login from {RemoteAddress}", context.Connection.RemoteIpAddress);
            return LoginForm(context, name.Length == 0 ? "Give your name and the admin API key." : "That is not the admin API key.");
        }
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], Scheme);
        await context.SignInAsync(Scheme, new ClaimsPrincipal(identity)).ConfigureAwait(false);
        log.LogInformation("Operations page: {Operator} logged in from {RemoteAddress}", name, context.Connection.RemoteIpAddress);
        return Results.Redirect("/ops");
    }

    // The form parameter makes the antiforgery middleware check the token on log-out too.
    private static async Task<IResult> LogoutAsync(HttpContext context, IFormCollection form)
    {
        await context.SignOutAsync(Scheme).ConfigureAwait(false);
        return Results.Redirect("/ops/login");
    }
}
