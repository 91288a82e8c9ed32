using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;

namespace Sma.Cmdlets.Commands;

/// <summary>Removes credential assets.</summary>
/// <remarks>
/// Deletes credentials by name, with their encrypted passwords. A name that matches no credential is a non-terminating
/// CredentialNotFound error. Through a remote -WebServiceEndpoint the account needs the Administrator role, as for
/// Set-SmaCredential.
/// </remarks>
/// <seealso cref="GetSmaCredentialCommand"/>
[Cmdlet(VerbsCommon.Remove, "SmaCredential", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class RemoveSmaCredentialCommand : AssetCmdlet
{
    #region Parameters

    /// <summary>The names of the credentials to remove.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = Array.Empty<string>();

    #endregion

    protected override bool WorksRemotely => true;

    protected override void Process()
    {
        if (Remote is { } remote)
            RemoveByName(Name, "credential", remote.GetCredential, found => found.Name, remote.RemoveCredential);
        else
            RemoveByName(Name, "credential", name => Assets.GetCredential(name).Name, Assets.RemoveCredential);
    }
}
