using System.Security.Cryptography;
using System.Text;

namespace Sma.Engine.Security;

/// <summary>
/// Salted, slow password hashes for web service accounts: PBKDF2 with HMAC-SHA512, 100,000 iterations, a 128-bit
/// random salt and a 256-bit subkey — the parameters of ASP.NET Core Identity's PasswordHasher (v3), kept in a
/// self-describing text form so the iteration count can grow later without invalidating stored hashes.
/// </summary>
public static class PasswordHasher
{
    private const string Scheme = "PBKDF2-SHA512";
    private const int Iterations = 100_000;
    private const int SaltBytes = 16;
    private const int KeyBytes = 32;

    /// <summary><c>PBKDF2-SHA512$iterations$salt$key</c>, salt and key in base64.</summary>
    public static string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var key = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA512, KeyBytes);
        return $"{Scheme}${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(key)}";
    }

    /// <summary>True when <paramref name="password"/> matches <paramref name="hash"/>; compared in constant time.</summary>
    public static bool Verify(string hash, string password)
    {
        var parts = hash.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], out var iterations) || iterations < 1)
            return false;
        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            expected = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
