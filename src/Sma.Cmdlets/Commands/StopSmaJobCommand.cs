using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>
/// Stops jobs. A running job goes to Stopping and its worker (in any process) stops it; a Queued or Suspended job
/// is Stopped at once. A job already ended is an InvalidJobStateTransition error.
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "SmaJob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Job))]
public sealed class StopSmaJobCommand : JobRequestCmdlet
{
    protected override string Action => "Stop job";

    protected override Job Request(Guid id) => Jobs.Stop(id);

    protected override Job Request(Sma.Engine.Remote.RemoteService remote, Guid id) => remote.Stop(id);
}
