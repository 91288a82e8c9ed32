using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;

namespace Sma.Cmdlets.Commands;

/// <summary>Removes runbooks from the store.</summary>
/// <remarks>
/// <para>
/// Remove-SmaRunbook deletes each named runbook, so it can no longer be started, listed or edited, and its name can be
/// used again; its schedule links go with it. Its jobs stay, with their records, their history and the versions of the
/// source they ran (also as inline child runbooks of other jobs): Get-SmaJob, Get-SmaJobOutput and
/// Get-SmaRunbookDefinition -VersionId still show them, and the dashboards still count them under the runbook's name.
/// </para>
/// <para>
/// -Name and -Id take several runbooks, and runbooks can be piped in. A runbook that is not found is a non-terminating
/// error (RunbookNotFound) and the others are still removed. Remove-SmaRunbook supports -WhatIf and -Confirm.
/// </para>
/// </remarks>
/// <seealso cref="GetSmaRunbookCommand"/>
/// <seealso cref="RemoveSmaJobCommand"/>
/// <seealso cref="ImportSmaRunbookCommand"/>
[Cmdlet(VerbsCommon.Remove, "SmaRunbook", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByName)]
public sealed class RemoveSmaRunbookCommand : RunbooksCmdlet
{

    protected override bool WorksRemotely => true;

    protected override void Process()
    {
        ForEachRunbook(runbook =>
        {
            if (ShouldProcess(runbook.RunbookName, "Remove runbook"))
            {
                if (Remote is { } remote)
                    remote.RemoveRunbook(runbook);
                else
                    Runbooks.Remove(runbook);
            }
        });
    }
}
