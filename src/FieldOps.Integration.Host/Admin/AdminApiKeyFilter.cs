using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace FieldOps.Integration.Host.Admin;

/// <summary>Lets a request through only with the right <c>X-Api-Key</c>, compared in constant time; 401 JSON otherwise.</summary>
internal sealed class AdminApiKeyFilter(IOptions<AdminOptions> options) : IEndpointFilter
{
    public const string HeaderName = "X-Api-Key";

    // Hashing both sides first gives equal lengths, so the comparison time says nothing about the key's length either.
    private readonly byte[] _expected = SHA256.HashData(Encoding.UTF8.GetBytes(options.Value.ApiKey ?? ""));

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (!Matches(context.HttpContext.Request.Headers[HeaderName].ToString()))
        {
            return Results.Json(new { error = "unauthorized", detail = $"send the admin API key (Admin:ApiKey) in the {HeaderName} header" },
                statusCode: StatusCodes.Status401Unauthorized);
        }
        return await next(context).ConfigureAwait(false);
    }

    /// <summary>True when <paramref name="sent"/> is the admin API key (also the operations page's login).</summary>
    public bool Matches(string? sent) =>
        !string.IsNullOrEmpty(sent) && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(sent)), _expected);
}
