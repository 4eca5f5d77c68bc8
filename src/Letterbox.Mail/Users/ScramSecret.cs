using System.Security.Cryptography;
using System.Text;

namespace Letterbox.Mail.Users;

/// <summary>
/// What a server keeps to verify SCRAM-SHA-256 logins without knowing the password (RFC 5802 §3, RFC 7677): the salt,
/// the iteration count, StoredKey = SHA-256(ClientKey) and ServerKey, where SaltedPassword = PBKDF2-HMAC-SHA256(password,
/// salt, iterations), ClientKey = HMAC(SaltedPassword, "Client Key"), ServerKey = HMAC(SaltedPassword, "Server Key").
/// Stored as <c>{SCRAM-SHA-256}iterations$salt$storedkey$serverkey</c> (base64 fields).
/// </summary>
/// <remarks>The password is used as UTF-8 without SASLprep (RFC 4013) normalisation; ASCII passwords are unaffected.</remarks>
/// <param name="Iterations">PBKDF2 iteration count (RFC 7677 §4: at least 4096).</param>
/// <param name="Salt">Random salt.</param>
/// <param name="StoredKey">SHA-256(ClientKey).</param>
/// <param name="ServerKey">HMAC(SaltedPassword, "Server Key").</param>
public sealed record ScramSecret(int Iterations, byte[] Salt, byte[] StoredKey, byte[] ServerKey)
{
    private const string Prefix = "{SCRAM-SHA-256}";

    /// <summary>Default iteration count: RFC 7677 asks for at least 4096; clients pay it on every login.</summary>
    public const int DefaultIterations = 100_000;

    /// <summary>Derives a new secret for <paramref name="password"/> with a random 16-byte salt.</summary>
    public static ScramSecret Create(string password, int iterations = DefaultIterations)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var salt = RandomNumberGenerator.GetBytes(16);
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        return new ScramSecret(iterations, salt, SHA256.HashData(clientKey), HMACSHA256.HashData(salted, "Server Key"u8));
    }

    /// <summary>Parses the stored form; null when <paramref name="text"/> is null or malformed.</summary>
    public static ScramSecret? TryParse(string? text)
    {
        if (text is null || !text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var parts = text[Prefix.Length..].Split('$');
        if (parts.Length != 4 || !int.TryParse(parts[0], out var iterations) || iterations < 1)
        {
            return null;
        }
        try
        {
            var secret = new ScramSecret(iterations, Convert.FromBase64String(parts[1]), Convert.FromBase64String(parts[2]), Convert.FromBase64String(parts[3]));
            return secret.StoredKey.Length == 32 && secret.ServerKey.Length == 32 && secret.Salt.Length > 0 ? secret : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The stored form, <c>{SCRAM-SHA-256}iterations$salt$storedkey$serverkey</c>.</summary>
    public override string ToString()
        => $"{Prefix}{Iterations}${Convert.ToBase64String(Salt)}${Convert.ToBase64String(StoredKey)}${Convert.ToBase64String(ServerKey)}";
}
