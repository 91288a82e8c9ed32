using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;

namespace Sma.Cmdlets.Commands;

/// <summary>Removes variable assets.</summary>
/// <remarks>
/// Deletes variables by name. A name that matches no variable is a non-terminating VariableNotFound error. Runbooks
/// that read the variable get a VariableNotFound error from Get-AutomationVariable from then on. Through a remote
/// -WebServiceEndpoint the account needs the Administrator role, as for Set-SmaVariable.
/// </remarks>
/// <seealso cref="GetSmaVariableCommand"/>
[Cmdlet(VerbsCommon.Remove, "SmaVariable", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class RemoveSmaVariableCommand : AssetCmdlet
{
    #region Parameters

    /// <summary>The names of the variables to remove.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = Array.Empty<string>();

    #endregion

    protected override bool WorksRemotely => true;

    protected override void Process()
    {
        if (Remote is { } remote)
            RemoveByName(Name, "variable", remote.GetVariable, found => found.Name, remote.RemoveVariable);
        else
            RemoveByName(Name, "variable", name => Assets.GetVariable(name).Name, Assets.RemoveVariable);
    }
}
