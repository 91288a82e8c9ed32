using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Makes a runbook's draft its published version, the one jobs run.</summary>
[Cmdlet(VerbsData.Publish, "SmaRunbook", SupportsShouldProcess = true, DefaultParameterSetName = ByName)]
[OutputType(typeof(Runbook))]
public sealed class PublishSmaRunbookCommand : RunbookCmdlet
{

    protected override void Process()
    {
        var runbook = SelectedRunbook;
        if (ShouldProcess(runbook.RunbookName, "Publish the draft"))
            WriteObject(Runbooks.Publish(runbook));
    }
}
