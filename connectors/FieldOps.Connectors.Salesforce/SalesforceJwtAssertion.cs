using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace FieldOps.Connectors.Salesforce;

/// <summary>The JWT of the Salesforce JWT-bearer flow: <c>iss</c> consumer key, <c>sub</c> username, <c>aud</c> login host, RS256.</summary>
internal static class SalesforceJwtAssertion
{
    /// <summary>Salesforce accepts assertions that expire within 3 minutes.</summary>
    private static readonly TimeSpan s_lifetime = TimeSpan.FromMinutes(3);

    public static string Create(SalesforceOptions options, string privateKeyPem, DateTimeOffset now)
    {
        var header = new Dictionary<string, string> { ["alg"] = "RS256", ["typ"] = "JWT" };
        var claims = new Dictionary<string, object>
        {
            ["iss"] = options.ClientId!,
            ["sub"] = options.Username!,
            ["aud"] = options.JwtAudience,
            ["exp"] = now.Add(s_lifetime).ToUnixTimeSeconds(),
        };
        var signingInput = Base64Url(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        using var rsa = RSA.Create();
        rsa.ImportFromPem(privateKeyPem);
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    /// <summary>The private key from the file or the environment variable the options name, never from the options themselves.</summary>
    public static string ReadPrivateKey(SalesforceOptions options)
    {
        if (options.PrivateKeyPath is { Length: > 0 } path)
            return File.ReadAllText(path);
        if (options.PrivateKeyVariable is { Length: > 0 } variable && Environment.GetEnvironmentVariable(variable) is { Length: > 0 } pem)
            return pem;
        throw new InvalidOperationException("No Salesforce JWT private key: set Connectors:Salesforce:PrivateKeyPath or PrivateKeyVariable.");
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
