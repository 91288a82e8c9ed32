using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;

namespace Sma.Cmdlets.Commands;

/// <summary>Removes a runbook from the store.</summary>
/// <remarks>
/// <para>
/// Remove-SmaRunbook deletes the runbook, so it can no longer be started, listed or edited, and its name can be used
/// again. Its jobs stay, with their records, their history and the versions of the source they ran: Get-SmaJob,
/// Get-SmaJobOutput and Get-SmaRunbookDefinition -VersionId still show them, and the dashboards still count them under
/// the runbook's name.
/// </para>
/// <para>
/// Remove-SmaRunbook supports -WhatIf and -Confirm.
/// </para>
/// </remarks>
/// <seealso cref="GetSmaRunbookCommand"/>
/// <seealso cref="RemoveSmaJobCommand"/>
/// <seealso cref="ImportSmaRunbookCommand"/>
[Cmdlet(VerbsCommon.Remove, "SmaRunbook", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByName)]
public sealed class RemoveSmaRunbookCommand : RunbookCmdlet
{

    protected override void Process()
    {
        var runbook = SelectedRunbook;
        if (ShouldProcess(runbook.RunbookName, "Remove runbook"))
            Runbooks.Remove(runbook);
    }
}
