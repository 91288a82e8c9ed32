namespace Sma.Engine.Model;

/// <summary>A certificate asset as Get-SmaCertificate shows it: never the private key. Times are UTC.</summary>
public sealed class SmaCertificate
{
    public Guid CertificateID { get; init; }
    public string Name { get; init; } = "";
    public string Thumbprint { get; init; } = "";
    public string Subject { get; init; } = "";

    /// <summary>When the certificate stops being valid (its NotAfter).</summary>
    public DateTime ExpiryTime { get; init; }

    /// <summary>True for a .pfx with its private key; jobs get the key with Get-AutomationCertificate.</summary>
    public bool HasPrivateKey { get; init; }

    public string? Description { get; init; }
    public DateTime CreationTime { get; init; }
    public DateTime LastModifiedTime { get; init; }

    public override string ToString() => Name;
}
