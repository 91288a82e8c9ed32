using System.Management.Automation;
using System.Security;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Adds or replaces a certificate asset from a .pfx or .cer file.</summary>
/// <remarks>
/// Reads the certificate file — a .pfx (PKCS #12) with its private key and password, or a .cer (DER or PEM) — and
/// stores it encrypted with the store's key. The file is opened first: a wrong password, a damaged file or a missing
/// file is an error and nothing changes. Jobs get the certificate, with its private key, with
/// Get-AutomationCertificate. Through a remote -WebServiceEndpoint the file is read and opened here, then its content
/// (and password) travels once, over HTTPS, to the server; the private key never comes back. That needs the
/// Administrator role.
/// </remarks>
/// <returns>The certificate as stored: thumbprint, subject, expiry and description; never the private key.</returns>
/// <seealso cref="GetSmaCertificateCommand"/>
/// <seealso cref="RemoveSmaCertificateCommand"/>
[Cmdlet(VerbsCommon.Set, "SmaCertificate", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(SmaCertificate))]
public sealed class SetSmaCertificateCommand : AssetCmdlet
{
    #region Parameters

    /// <summary>The certificate's name (unique, in any case).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>The certificate file: a .pfx (with its private key) or a .cer.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The .pfx file's password.</summary>
    [Parameter]
    public SecureString? Password { get; set; }

    /// <summary>A description of the certificate; omitted, an existing certificate keeps its own.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Description { get; set; }

    /// <summary>Return the certificate (without its private key) after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    #endregion

    protected override bool WorksRemotely => true;

    protected override void Process()
    {
        var path = GetUnresolvedProviderPathFromPSPath(Path);
        if (!ShouldProcess(Name, $"Set certificate from '{path}'"))
            return;
        var certificate = Remote?.SetCertificate(Name, path, Password, Description) ?? Assets.SetCertificate(Name, path, Password, Description);
        if (PassThru)
            WriteObject(certificate);
    }
}
