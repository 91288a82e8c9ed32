using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Makes runbooks' drafts their published versions, the ones jobs run.</summary>
[Cmdlet(VerbsData.Publish, "SmaRunbook", SupportsShouldProcess = true, DefaultParameterSetName = ByName)]
[OutputType(typeof(Runbook))]
public sealed class PublishSmaRunbookCommand : RunbooksCmdlet
{

    protected override void Process()
    {
        ForEachRunbook(runbook =>
        {
            if (ShouldProcess(runbook.RunbookName, "Publish the draft"))
                WriteObject(Runbooks.Publish(runbook));
        });
    }
}
