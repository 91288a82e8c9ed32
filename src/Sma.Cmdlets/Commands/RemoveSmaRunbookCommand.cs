using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;

namespace Sma.Cmdlets.Commands;

/// <summary>Removes a runbook. Its jobs and the versions they ran are kept, so their history still shows the source.</summary>
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
