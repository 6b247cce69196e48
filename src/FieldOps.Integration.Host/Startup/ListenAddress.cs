namespace FieldOps.Integration.Host.Startup;

/// <summary>Where Kestrel listens: <c>--urls</c> or <c>ASPNETCORE_URLS</c> when given, else 127.0.0.1:5080.</summary>
internal static class ListenAddress
{
    public static void Apply(WebApplicationBuilder builder)
    {
        var urls = builder.Configuration["urls"];
        if (string.IsNullOrWhiteSpace(urls))
        {
            builder.WebHost.UseUrls(FieldOpsApplication.DefaultUrl);
            return;
        }
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Kestrel's wildcard hosts (* and +) are not valid URI hosts; check the rest of the address.
            var candidate = url.Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal);
            if (!Uri.TryCreate(candidate, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                throw new ConfigurationException($"urls: '{url}' is not an absolute http(s) URL such as {FieldOpsApplication.DefaultUrl}.");
        }
    }
}
