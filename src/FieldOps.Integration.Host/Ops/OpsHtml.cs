using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;

namespace FieldOps.Integration.Host.Ops;

/// <summary>
/// The page's HTML, written by hand: one layout, encoded text, forms with their anti-forgery field. No script, no
/// external asset; sizes in <c>rem</c> and wrapping tables, so the page reads at 200% zoom.
/// </summary>
internal static class OpsHtml
{
    private const string Style =
        "body{font-family:system-ui,sans-serif;margin:0 auto;max-width:80rem;padding:1rem;line-height:1.4;color:#111}" +
        "a{color:#0645ad}:focus-visible{outline:.2rem solid #c60;outline-offset:.1rem}" +
        "table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem;font-size:.9rem}th,td{border:1px solid #bbb;padding:.25rem .4rem;" +
        "text-align:left;vertical-align:top;overflow-wrap:anywhere}th{background:#eee}" +
        "nav a,nav button{margin-right:1rem}.err{color:#a00}.ok{color:#060}form.inline{display:inline}" +
        "label{display:block;margin:.5rem 0 .2rem}input,button,textarea,select{font:inherit;padding:.25rem .5rem}" +
        ".skip{position:absolute;left:-100rem}.skip:focus{left:1rem}pre{white-space:pre-wrap;overflow-wrap:anywhere}";

    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    public static string Time(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "–";

    public static string Age(TimeSpan? age) => age switch
    {
        null => "–",
        { TotalDays: >= 1 } a => $"{(int)a.TotalDays} d {a.Hours} h",
        { TotalHours: >= 1 } a => $"{(int)a.TotalHours} h {a.Minutes} min",
        { TotalMinutes: >= 1 } a => $"{(int)a.TotalMinutes} min {a.Seconds} s",
        { } a => $"{Math.Max(0, (int)a.TotalSeconds)} s",
    };

    /// <summary>The hidden field every form carries; the antiforgery middleware checks it on each POST.</summary>
    public static string Token(HttpContext context)
    {
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        return $"<input type=\"hidden\" name=\"{E(tokens.FormFieldName)}\" value=\"{E(tokens.RequestToken)}\">";
    }

    /// <summary>A whole page; <paramref name="signedIn"/> adds the navigation and the log-out button.</summary>
    public static IResult Page(HttpContext context, string title, string body, bool signedIn = true, int status = StatusCodes.Status200OK)
    {
        var html = new StringBuilder(body.Length + 2048)
            .Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(E(title)).Append(" · fieldops</title><style>").Append(Style).Append("</style></head><body>")
            .Append("<a class=\"skip\" href=\"#main\">Skip to content</a>");
        if (signedIn)
        {
            html.Append("<nav aria-label=\"Operations\"><a href=\"/ops\">Overview</a><a href=\"/ops/deadletters\">Dead letters</a>")
                .Append("<a href=\"/ops/events\">Find an event</a><a href=\"/ops/audit\">Audit log</a><form class=\"inline\" method=\"post\" action=\"/ops/logout\">")
                .Append(Token(context)).Append("<button type=\"submit\">Log out ").Append(E(context.User.Identity?.Name)).Append("</button></form></nav>");
        }
        html.Append("<main id=\"main\"><h1>").Append(E(title)).Append("</h1>").Append(body).Append("</main></body></html>");
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["Content-Security-Policy"] =
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        context.Response.Headers["X-Content-Type-Options"] = "nosniff";
        return Results.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    /// <summary>A table with a caption; each row's cells are HTML already encoded.</summary>
    public static string Table(string caption, string[] headers, IEnumerable<string[]> rows, string empty)
    {
        var list = rows.ToList();
        if (list.Count == 0)
            return $"<h2>{E(caption)}</h2><p>{E(empty)}</p>";
        var html = new StringBuilder().Append("<h2>").Append(E(caption)).Append("</h2><table><thead><tr>");
        foreach (var h in headers)
            html.Append("<th scope=\"col\">").Append(E(h)).Append("</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var row in list)
        {
            html.Append("<tr>");
            foreach (var cell in row)
                html.Append("<td>").Append(cell).Append("</td>");
            html.Append("</tr>");
        }
        return html.Append("</tbody></table>").ToString();
    }
}
