using System.Security.Cryptography;
using System.Text;

namespace Letterbox.Mail.Users;

/// <summary>
/// Hashes and verifies passwords as PBKDF2-HMAC-SHA256 with a random 16-byte salt, stored in the self-describing
/// form <c>{PBKDF2-SHA256}iterations$salt-base64$hash-base64</c>. Verification is constant time.
/// </summary>
/// <remarks>NIST SP 800-132 / OWASP 2023 guidance: 600,000 iterations for PBKDF2-HMAC-SHA256.</remarks>
public static class PasswordHasher
{
    private const string Prefix = "{PBKDF2-SHA256}";

    /// <summary>Default iteration count.</summary>
    public const int DefaultIterations = 600_000;

    /// <summary>Returns a new hash string for <paramref name="password"/> (UTF-8 encoded).</summary>
    public static string Hash(string password, int iterations = DefaultIterations)
    {
        ArgumentNullException.ThrowIfNull(password);
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        return $"{Prefix}{iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>Returns whether <paramref name="password"/> matches <paramref name="stored"/>; false (never an
    /// exception) for a malformed or unknown hash format. Constant time in the hash comparison.</summary>
    public static bool Verify(string password, string stored)
    {
        if (password is null || stored is null || !stored.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var parts = stored[Prefix.Length..].Split('$');
        if (parts.Length != 3 || !int.TryParse(parts[0], out var iterations) || iterations < 1 || iterations > 10_000_000) return false;
        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(parts[1]);
            expected = Convert.FromBase64String(parts[2]);
        }
        catch (FormatException)
        {
            return false;
        }
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
