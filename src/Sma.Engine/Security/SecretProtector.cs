using System.Security.Cryptography;
using System.Text;

namespace Sma.Engine.Security;

/// <summary>
/// Encrypts values that hold secrets (SecureString, PSCredential) before they reach the store, with AES-GCM and a
/// per-user key file kept outside the store (owner-only on Unix). PowerShell's CliXml writes a SecureString as plain
/// hex on Linux and macOS (no DPAPI), so a serialized secret must never be stored as it is.
/// </summary>
public sealed class SecretProtector
{
    private const byte FormatVersion = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key;

    private SecretProtector(byte[] key) => _key = key;

    /// <summary>The key file: <c>$env:SMA_KEY_FILE</c>, else <c>secret.key</c> in the per-user Sma data folder.</summary>
    public static string DefaultKeyPath =>
        Environment.GetEnvironmentVariable("SMA_KEY_FILE") is { Length: > 0 } path
            ? Path.GetFullPath(path)
            : Path.Combine(StoreLocation.UserDataFolder, "secret.key");

    /// <summary>The environment variable that may hold the key itself (32 bytes, base64), for workers of a shared store.</summary>
    public const string KeyVariable = "SMA_KEY";

    /// <summary>
    /// The key as configured: <c>$env:SMA_KEY</c> (the key in base64) when set, else the key file
    /// (<see cref="DefaultKeyPath"/>), created the first time. Every worker of a shared store needs the same key.
    /// </summary>
    public static SecretProtector FromEnvironment() =>
        Environment.GetEnvironmentVariable(KeyVariable) is { Length: > 0 } text ? FromBase64(text) : ForKeyFile(DefaultKeyPath);

    /// <summary>A key given as base64 text (<c>$env:SMA_KEY</c>).</summary>
    public static SecretProtector FromBase64(string text)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            key = Array.Empty<byte>();
        }
        if (key.Length != 32)
            throw new SmaException("SecretKeyInvalid", System.Management.Automation.ErrorCategory.InvalidData,
                $"${KeyVariable} does not hold a valid Sma key (expected 32 bytes in base64). Set it to the key every worker " +
                "of the store uses (e.g. [Convert]::ToBase64String((Get-Content -AsByteStream <key file>))).", KeyVariable);
        return new SecretProtector(key);
    }

    /// <summary>Loads the key, creating a new random one (owner-only) the first time.</summary>
    public static SecretProtector ForKeyFile(string path)
    {
        if (File.Exists(path))
            return new SecretProtector(ReadKey(path));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = RandomNumberGenerator.GetBytes(32);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var file = new FileStream(path, options))
                file.Write(key);
            return new SecretProtector(key);
        }
        catch (IOException) when (File.Exists(path))
        {
            return new SecretProtector(ReadKey(path)); // another process created it first
        }
    }

    private static byte[] ReadKey(string path)
    {
        var key = File.ReadAllBytes(path);
        if (key.Length != 32)
            throw new SmaException("SecretKeyInvalid", System.Management.Automation.ErrorCategory.InvalidData,
                $"The secret key file '{path}' is not a valid Sma key (expected 32 bytes). Restore it, or remove it to " +
                "start over (stored secrets can then no longer be read).", path);
        return key;
    }

    /// <summary>True when serialized CliXml contains a SecureString (alone or inside a PSCredential or collection).</summary>
    public static bool HoldsSecret(string cliXml) => cliXml.Contains("<SS", StringComparison.Ordinal);

    public byte[] Protect(string text)
    {
        var plain = Encoding.UTF8.GetBytes(text);
        var output = new byte[1 + NonceSize + TagSize + plain.Length];
        output[0] = FormatVersion;
        var nonce = output.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(1 + NonceSize + TagSize), output.AsSpan(1 + NonceSize, TagSize));
        CryptographicOperations.ZeroMemory(plain);
        return output;
    }

    public string Unprotect(byte[] data)
    {
        if (data.Length < 1 + NonceSize + TagSize || data[0] != FormatVersion)
            throw new CryptographicException("The stored secret has an unknown format.");
        var plain = new byte[data.Length - 1 - NonceSize - TagSize];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(data.AsSpan(1, NonceSize), data.AsSpan(1 + NonceSize + TagSize), data.AsSpan(1 + NonceSize, TagSize), plain);
        return Encoding.UTF8.GetString(plain);
    }
}
