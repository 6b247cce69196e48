using System.Net;
using System.Text.RegularExpressions;
using FieldOps.Integration.Host.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FieldOps.Integration.Host.Tests.Ops;

/// <summary>A browser-like client of the operations page: keeps cookies, follows no redirect, reads each form's anti-forgery field.</summary>
public sealed partial class OpsClient(FieldOpsFactory factory) : IDisposable
{
    public const string Key = "test-admin-key-4f9c2a7e81";

    public static Dictionary<string, string?> Settings => new() { ["Admin:ApiKey"] = Key, ["Ops:Enabled"] = "true" };

    public HttpClient Http { get; } = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>The anti-forgery token of the first form on the page.</summary>
    public async Task<string> TokenAsync(string path)
    {
        var html = await Http.GetStringAsync(path);
        return TokenField().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException($"no token on {path}");
    }

    public async Task<HttpResponseMessage> LoginAsync(string key = Key, string name = "Dana Admin")
    {
        var token = await TokenAsync("/ops/login");
        return await Http.PostAsync("/ops/login", Form(("operator", name), ("key", key), ("__ops_token", token)));
    }

    /// <summary>Posts a form from <paramref name="page"/> with its token.</summary>
    public async Task<HttpResponseMessage> PostAsync(string page, string action, params (string Name, string Value)[] fields)
    {
        var token = await TokenAsync(page);
        return await Http.PostAsync(action, Form([.. fields, ("__ops_token", token)]));
    }

    public static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

    public void Dispose() => Http.Dispose();

    [GeneratedRegex("name=\"__ops_token\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
