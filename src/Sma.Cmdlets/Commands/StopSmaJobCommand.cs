using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Stops jobs.</summary>
/// <remarks>
/// <para>
/// Stop-SmaJob stops each job it is given. A job that no worker holds (Queued, Suspended, or Resuming before a worker
/// takes it) is Stopped at once. A running job (Starting, Running, Suspending, Resuming) goes to Stopping, and its worker
/// stops its pipeline, also when it runs in another process; the job is then Stopped. A job whose worker is gone is
/// stopped by recovery at once.
/// </para>
/// <para>
/// A stop always ends: a job that does not answer it (a runbook blocked in .NET code, such as a call that never returns)
/// is marked Stopped 10 seconds after its worker got the request ($env:SMA_STOP_TIMEOUT seconds changes it), with
/// StatusDetails saying that its thread was abandoned. That thread never keeps the process from exiting.
/// </para>
/// <para>
/// A job that is not found (JobNotFound) or has already ended (InvalidJobStateTransition) is a non-terminating error:
/// the job is left unchanged and the other jobs are still stopped, so Get-SmaJob -JobStatus Running | Stop-SmaJob stops
/// every job still running even if one ended in between. A malformed id stops the command (InvalidJobId). Stop-SmaJob
/// supports -WhatIf and -Confirm.
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

    protected override Job Request(Sma.Engine.Remote.RemoteService remote, Guid id) => remote.Stop(id);
}
