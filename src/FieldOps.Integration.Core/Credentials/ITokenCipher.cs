namespace FieldOps.Integration.Core.Credentials;

/// <summary>
/// Encrypts a token for the store and decrypts it again. The store supplies it (ASP.NET Core Data Protection with its key
/// ring in <c>Credentials:KeysDirectory</c>), so Core holds no cryptography of its own.
/// </summary>
public interface ITokenCipher
{
    string Encrypt(string plain);

    /// <summary>Throws <see cref="System.Security.Cryptography.CryptographicException"/> when the text was not made with this key ring.</summary>
    string Decrypt(string cipher);
}
