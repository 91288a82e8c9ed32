using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;

namespace Sma.Cmdlets.Commands;

/// <summary>Removes runbooks. Their jobs and the versions they ran are kept, so their history still shows the source.</summary>
[Cmdlet(VerbsCommon.Remove, "SmaRunbook", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByName)]
public sealed class RemoveSmaRunbookCommand : RunbooksCmdlet
{

    protected override void Process()
    {
        ForEachRunbook(runbook =>
        {
            if (ShouldProcess(runbook.RunbookName, "Remove runbook"))
                Runbooks.Remove(runbook);
        });
    }
}
