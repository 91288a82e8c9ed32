using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;

namespace Sma.Cmdlets.Commands;

/// <summary>Removes certificate assets.</summary>
/// <remarks>
/// Deletes certificates by name, with their encrypted files and keys. A name that matches no certificate is a
/// non-terminating CertificateNotFound error.
/// </remarks>
/// <seealso cref="GetSmaCertificateCommand"/>
[Cmdlet(VerbsCommon.Remove, "SmaCertificate", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class RemoveSmaCertificateCommand : AssetCmdlet
{
    #region Parameters

    /// <summary>The names of the certificates to remove.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = Array.Empty<string>();

    #endregion

    protected override bool WorksRemotely => true;

    protected override void Process()
    {
        if (Remote is { } remote)
            RemoveByName(Name, "certificate", remote.GetCertificate, found => found.Name, remote.RemoveCertificate);
        else
            RemoveByName(Name, "certificate", name => Assets.GetCertificate(name).Name, Assets.RemoveCertificate);
    }
}
