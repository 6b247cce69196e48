using System.Security.Cryptography;
using System.Text;

namespace FieldOps.Integration.Host.Sources;

/// <summary>
/// Requires the <c>X-Api-Key</c> header to equal <c>Admin:ApiKey</c> (constant-time). No key configured: every admin
/// call is refused. A small stand-in until the operator's shared admin filter is on main; swap it in when it is.
/// </summary>
internal sealed class AdminKeyFilter(IConfiguration configuration) : IEndpointFilter
{
    public const string Header = "X-Api-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var expected = configuration["Admin:ApiKey"];
        if (string.IsNullOrEmpty(expected))
            return Results.Problem("The admin API is off: set Admin:ApiKey (environment Admin__ApiKey).", statusCode: StatusCodes.Status403Forbidden);
        var given = context.HttpContext.Request.Headers[Header].ToString();
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected))))
            return Results.Problem($"Missing or wrong {Header}.", statusCode: StatusCodes.Status401Unauthorized);
        return await next(context).ConfigureAwait(false);
    }
}
