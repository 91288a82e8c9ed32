using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Gets credential assets: name, user name and description, never the password.</summary>
/// <remarks>
/// Lists the store's credentials, or those named (wildcards allowed). The password is never shown: jobs get the
/// credential as a PSCredential with Get-AutomationPSCredential. A name that matches no credential is a
/// non-terminating CredentialNotFound error.
/// </remarks>
/// <returns>Credential assets: Name, UserName, Description, CreationTime, LastModifiedTime; never the password.</returns>
/// <seealso cref="SetSmaCredentialCommand"/>
/// <seealso cref="RemoveSmaCredentialCommand"/>
[Cmdlet(VerbsCommon.Get, "SmaCredential")]
[OutputType(typeof(SmaCredential))]
public sealed class GetSmaCredentialCommand : AssetCmdlet
{
    #region Parameters

    /// <summary>Credential names; wildcards are allowed. Omitted: every credential.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    #endregion

    protected override bool WorksRemotely => true;

    protected override void Process()
    {
        if (Remote is { } remote)
            WriteByName(Name, remote.ListCredentials, c => c.Name, remote.GetCredential);
        else
            WriteByName(Name, Assets.ListCredentials, c => c.Name, Assets.GetCredential);
    }
}
