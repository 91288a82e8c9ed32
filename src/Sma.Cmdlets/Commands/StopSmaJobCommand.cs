using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Stops jobs.</summary>
/// <remarks>
/// <para>
/// Stop-SmaJob stops each job it is given. A job that no worker holds (Queued, Suspended, or Resuming before a worker
/// takes it) is Stopped at once. A running job (Starting, Running, Suspending, Resuming) goes to Stopping, and its worker
/// stops its pipeline, also when it runs in another process; the job is then Stopped.
/// </para>
/// <para>
/// Stopping a job that has already ended is an error (InvalidJobStateTransition), and the job is left unchanged.
/// Stop-SmaJob supports -WhatIf and -Confirm.
/// </para>
/// </remarks>
/// <returns>
/// With -PassThru, each job as it is right after the request (Stopping, or Stopped); otherwise nothing.
/// </returns>
/// <seealso cref="GetSmaJobCommand"/>
/// <seealso cref="WaitSmaJobCommand"/>
/// <seealso cref="SuspendSmaJobCommand"/>
[Cmdlet(VerbsLifecycle.Stop, "SmaJob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Job))]
public sealed class StopSmaJobCommand : JobRequestCmdlet
{
    protected override string Action => "Stop job";

    protected override Job Request(Guid id) => Jobs.Stop(id);
}
