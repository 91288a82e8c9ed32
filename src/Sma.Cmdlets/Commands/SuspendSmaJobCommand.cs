using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Suspends jobs: a Running job goes to Suspending and suspends at its next checkpoint (state saved there); a job that reaches no checkpoint ends as usual.</summary>
[Cmdlet(VerbsLifecycle.Suspend, "SmaJob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Job))]
public sealed class SuspendSmaJobCommand : JobRequestCmdlet
{
    protected override string Action => "Suspend job";

    protected override Job Request(Guid id) => Jobs.Suspend(id);

    protected override Job Request(Sma.Engine.Remote.RemoteService remote, Guid id) => remote.Suspend(id);
}
