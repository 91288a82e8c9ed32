using System.Net;
using System.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Sma.Engine.Model;
using Sma.Engine.Store;

namespace Sma.Engine.Services;

public sealed partial class AssetService
{
    /// <summary>ERROR_INVALID_PASSWORD: what .NET reports on every platform for a .pfx opened with the wrong password.</summary>
    private const int InvalidPassword = unchecked((int)0x80070056);

    public IReadOnlyList<SmaCertificate> ListCertificates() => _store.ListCertificates().Select(ToModel).ToList();

    /// <summary>The certificate's thumbprint, subject and expiry — never its private key; CertificateNotFound otherwise.</summary>
    public SmaCertificate GetCertificate(string name) =>
        ToModel(_store.FindCertificate(name) ?? throw SmaErrors.CertificateNotFound(name));

    /// <summary>
    /// Adds or replaces a certificate from a .pfx (with its password) or a .cer file (Set-SmaCertificate). The file is
    /// opened first, so a wrong password or a damaged file changes nothing; it is stored (with the password) only
    /// encrypted.
    /// </summary>
    public SmaCertificate SetCertificate(string name, string path, SecureString? password, string? description)
    {
        CheckName("certificate", name);
        if (!File.Exists(path))
            throw SmaErrors.CertificateFileNotFound(path);
        return SetCertificate(name, File.ReadAllBytes(path), path, password is null ? null : new NetworkCredential("", password).Password, description);
    }

    /// <summary>
    /// Adds or replaces a certificate from a .pfx's or .cer's content (the web service: sent base64 as RawValue);
    /// <paramref name="source"/> names it in errors. Checked and stored as <see cref="SetCertificate(string, string, SecureString?, string?)"/>.
    /// </summary>
    public SmaCertificate SetCertificate(string name, byte[] bytes, string source, string? plainPassword, string? description)
    {
        CheckName("certificate", name);
        if (bytes.Length == 0)
            throw SmaErrors.CertificateFileInvalid(source, "the file is empty");
        using var certificate = Open(source, bytes, plainPassword);
        var secret = _codec.Protect(JsonSerializer.Serialize(new CertificateSecret(Convert.ToBase64String(bytes), plainPassword)));
        return ToModel(Retry(() =>
        {
            var existing = _store.FindCertificate(name);
            var write = new CertificateWrite(
                existing?.Name ?? name, certificate.Thumbprint, certificate.Subject, certificate.NotAfter.ToUniversalTime(),
                certificate.HasPrivateKey, secret, description ?? existing?.Description);
            return _store.PutCertificate(write, existing) ? _store.FindCertificate(name) : null;
        }));
    }

    /// <summary>
    /// A certificate file read and opened as <see cref="SetCertificate(string, string, SecureString?, string?)"/> does,
    /// with its errors, without storing it: what a remote Set-SmaCertificate checks before it sends the content.
    /// </summary>
    public static byte[] ReadCertificateFile(string name, string path, string? plainPassword)
    {
        CheckName("certificate", name);
        if (!File.Exists(path))
            throw SmaErrors.CertificateFileNotFound(path);
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length == 0)
            throw SmaErrors.CertificateFileInvalid(path, "the file is empty");
        using var certificate = Open(path, bytes, plainPassword);
        return bytes;
    }

    public void RemoveCertificate(string name)
    {
        if (!_store.RemoveCertificate(name))
            throw SmaErrors.CertificateNotFound(name);
    }

    /// <summary>Get-AutomationCertificate: the certificate with its private key (when it has one).</summary>
    internal X509Certificate2 ReadCertificate(string name)
    {
        var stored = _store.FindCertificate(name) ?? throw SmaErrors.CertificateNotFound(name);
        var secret = JsonSerializer.Deserialize<CertificateSecret>(_codec.Unprotect(stored.Secret))!;
        return Load(Convert.FromBase64String(secret.Content), secret.Password);
    }

    private static X509Certificate2 Open(string path, byte[] bytes, string? password)
    {
        try
        {
            return Load(bytes, password);
        }
        catch (CryptographicException e) when (e.HResult == InvalidPassword)
        {
            throw SmaErrors.CertificatePasswordInvalid(path);
        }
        catch (CryptographicException e)
        {
            throw SmaErrors.CertificateFileInvalid(path, e.Message.TrimEnd('.'));
        }
    }

    private static X509Certificate2 Load(byte[] bytes, string? password) =>
        X509Certificate2.GetCertContentType(bytes) == X509ContentType.Pkcs12
            ? new X509Certificate2(bytes, password, X509KeyStorageFlags.Exportable)
            : new X509Certificate2(bytes);

    private static SmaCertificate ToModel(StoredCertificate c) => new()
    {
        CertificateID = c.Id,
        Name = c.Name,
        Thumbprint = c.Thumbprint,
        Subject = c.Subject,
        ExpiryTime = c.ExpiryTime,
        HasPrivateKey = c.HasPrivateKey,
        Description = c.Description,
        CreationTime = c.CreationTime,
        LastModifiedTime = c.LastModifiedTime,
    };

    /// <summary>What is encrypted for a certificate: the file as given and its password.</summary>
    private sealed record CertificateSecret(string Content, string? Password);
}
