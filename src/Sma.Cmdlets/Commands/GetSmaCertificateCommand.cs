using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Gets certificate assets: thumbprint, subject and expiry, never the private key.</summary>
/// <remarks>
/// Lists the store's certificates, or those named (wildcards allowed), with their thumbprint, subject, expiry time and
/// whether they hold a private key. The key itself never leaves the store except to a job, through
/// Get-AutomationCertificate. A name that matches no certificate is a non-terminating CertificateNotFound error.
/// </remarks>
/// <returns>
/// Certificate assets: Name, Thumbprint, Subject, ExpiryTime, HasPrivateKey, Description, CreationTime, LastModifiedTime; never the
/// private key or its password.
/// </returns>
/// <seealso cref="SetSmaCertificateCommand"/>
/// <seealso cref="RemoveSmaCertificateCommand"/>
[Cmdlet(VerbsCommon.Get, "SmaCertificate")]
[OutputType(typeof(SmaCertificate))]
public sealed class GetSmaCertificateCommand : AssetCmdlet
{
    #region Parameters

    /// <summary>Certificate names; wildcards are allowed. Omitted: every certificate.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    #endregion

    protected override bool WorksRemotely => true;

    protected override void Process()
    {
        if (Remote is { } remote)
            WriteByName(Name, remote.ListCertificates, c => c.Name, remote.GetCertificate);
        else
            WriteByName(Name, Assets.ListCertificates, c => c.Name, Assets.GetCertificate);
    }
}
