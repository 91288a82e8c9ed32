using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Publishes the drafts of runbooks, making them the versions that new jobs run.</summary>
/// <remarks>
/// <para>
/// Publish-SmaRunbook makes each named runbook's draft its published version; the runbook then has no draft until the
/// next Edit-SmaRunbook. Jobs started from then on run the new version. Jobs already queued or running keep the version
/// they started with, and every earlier version stays in the store for the jobs that ran it.
/// </para>
/// <para>
/// -Name and -Id take several runbooks, and runbooks can be piped in. A runbook that is not found, or has no draft to
/// publish (RunbookHasNoDraft: create one with Edit-SmaRunbook, or import with Import-SmaRunbook -Publish), is a
/// non-terminating error and the others are still published.
/// </para>
/// </remarks>
/// <returns>Each runbook published, with its new PublishedRunbookVersionID.</returns>
/// <seealso cref="EditSmaRunbookCommand"/>
/// <seealso cref="ImportSmaRunbookCommand"/>
/// <seealso cref="StartSmaRunbookCommand"/>
[Cmdlet(VerbsData.Publish, "SmaRunbook", SupportsShouldProcess = true, DefaultParameterSetName = ByName)]
[OutputType(typeof(Runbook))]
public sealed class PublishSmaRunbookCommand : RunbooksCmdlet
{

    protected override bool WorksRemotely => true;

    protected override void Process()
    {
        ForEachRunbook(runbook =>
        {
            if (ShouldProcess(runbook.RunbookName, "Publish the draft"))
                WriteObject(Remote?.Publish(runbook) ?? Runbooks.Publish(runbook));
        });
    }
}
