using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Sma.Engine.WebService;

/// <summary>
/// The web service's TLS certificate when none is given: a self-signed one made on first start and kept (owner-only)
/// in the store's web service folder, so clients can pin its thumbprint across restarts.
/// </summary>
public static class WebServiceCertificate
{
    public const string FileName = "certificate.pfx";

    /// <summary>The certificate kept for the store, made first if there is none (or it has expired).</summary>
    public static X509Certificate2 LoadOrCreate(string storeLocation)
    {
        var path = Path.Combine(WebServiceRegistry.FolderFor(storeLocation), FileName);
        if (File.Exists(path))
        {
            var existing = Open(path, null);
            if (existing.NotAfter.ToUniversalTime() > DateTime.UtcNow.AddDays(7))
                return existing;
            existing.Dispose();
        }
        var created = CreateSelfSigned();
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var file = new FileStream(path + ".tmp", options))
            file.Write(created.Export(X509ContentType.Pkcs12));
        File.Move(path + ".tmp", path, overwrite: true);
        return Open(path, null);
    }

    /// <summary>A .pfx with its private key; a clear error when it cannot be used as the server's certificate.</summary>
    public static X509Certificate2 Open(string path, string? password)
    {
        if (!File.Exists(path))
            throw SmaErrors.WebServiceCertificateInvalid(path, "the file does not exist");
        X509Certificate2 certificate;
        try
        {
            certificate = new X509Certificate2(path, password, X509KeyStorageFlags.Exportable);
        }
        catch (CryptographicException e)
        {
            throw SmaErrors.WebServiceCertificateInvalid(path, e.Message.TrimEnd('.'));
        }
        if (!certificate.HasPrivateKey)
            throw SmaErrors.WebServiceCertificateInvalid(path, "it has no private key");
        return certificate;
    }

    private static X509Certificate2 CreateSelfSigned()
    {
        using var key = RSA.Create(2048);
        var host = Environment.MachineName;
        var request = new CertificateRequest($"CN={host}, O=Sma web service", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddDnsName(host);
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(2));
    }
}
