using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Creates or changes a credential asset.</summary>
/// <remarks>
/// Stores a PSCredential under a name: the user name in clear, the password encrypted with the store's key. An
/// existing credential is replaced (its description is kept unless -Description is given). Jobs read it with
/// Get-AutomationPSCredential; Get-SmaCredential never shows the password.
/// </remarks>
/// <returns>The credential as stored: name, user name and description; never the password.</returns>
/// <seealso cref="GetSmaCredentialCommand"/>
/// <seealso cref="RemoveSmaCredentialCommand"/>
[Cmdlet(VerbsCommon.Set, "SmaCredential", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(SmaCredential))]
public sealed class SetSmaCredentialCommand : AssetCmdlet
{
    #region Parameters

    /// <summary>The credential's name (unique, in any case).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>The credential to store: its user name and password.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [Credential]
    public PSCredential Value { get; set; } = PSCredential.Empty;

    /// <summary>A description of the credential; omitted, an existing credential keeps its own.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Description { get; set; }

    /// <summary>Return the credential (without its password) after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    #endregion

    protected override bool WorksRemotely => true;

    protected override void Process()
    {
        if (!ShouldProcess(Name, "Set credential"))
            return;
        var credential = Remote?.SetCredential(Name, Value, Description) ?? Assets.SetCredential(Name, Value, Description);
        if (PassThru)
            WriteObject(credential);
    }
}
