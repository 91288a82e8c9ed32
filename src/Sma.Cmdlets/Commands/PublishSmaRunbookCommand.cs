using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Publishes the draft of a runbook, making it the version that new jobs run.</summary>
/// <remarks>
/// <para>
/// Publish-SmaRunbook makes the runbook's draft its published version; the runbook then has no draft until the next
/// Edit-SmaRunbook. Jobs started from then on run the new version. Jobs already queued or running keep the version they
/// started with, and every earlier version stays in the store for the jobs that ran it.
/// </para>
/// <para>
/// A runbook without a draft cannot be published (RunbookHasNoDraft): create one with Edit-SmaRunbook, or import with
/// Import-SmaRunbook -Publish.
/// </para>
/// </remarks>
/// <returns>The runbook, with its new PublishedRunbookVersionID.</returns>
/// <seealso cref="EditSmaRunbookCommand"/>
/// <seealso cref="ImportSmaRunbookCommand"/>
/// <seealso cref="StartSmaRunbookCommand"/>
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
