using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Gets variable assets.</summary>
/// <remarks>
/// Lists the store's variables, or those named (wildcards allowed). An encrypted variable shows IsEncrypted and no
/// value: only a job reads it, with Get-AutomationVariable. A name that matches no variable is a non-terminating
/// VariableNotFound error.
/// </remarks>
/// <returns>
/// Variable assets: VariableID, Name, Value (none for an encrypted variable, which shows IsEncrypted), IsEncrypted,
/// Description, CreationTime, LastModifiedTime.
/// </returns>
/// <seealso cref="SetSmaVariableCommand"/>
/// <seealso cref="RemoveSmaVariableCommand"/>
[Cmdlet(VerbsCommon.Get, "SmaVariable")]
[OutputType(typeof(SmaVariable))]
public sealed class GetSmaVariableCommand : AssetCmdlet
{
    #region Parameters

    /// <summary>Variable names; wildcards are allowed. Omitted: every variable.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    #endregion

    protected override bool WorksRemotely => true;

    protected override void Process()
    {
        if (Remote is { } remote)
            WriteByName(Name, remote.ListVariables, v => v.Name, remote.GetVariable);
        else
            WriteByName(Name, Assets.ListVariables, v => v.Name, Assets.GetVariable);
    }
}
