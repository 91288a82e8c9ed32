using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Suspends running jobs at their next checkpoint.</summary>
/// <remarks>
/// <para>
/// Suspend-SmaJob moves a Running job to Suspending. The job keeps running until its next Checkpoint-Workflow; there
/// its state is saved, its runspace is closed and it is Suspended, to be continued with Resume-SmaJob. A job that ends
/// before it reaches a checkpoint ends Completed or Failed as usual.
/// </para>
/// <para>
/// Only a Running job can be suspended. A job in any other status (InvalidJobStateTransition) or not found (JobNotFound)
/// is a non-terminating error: the job is left unchanged and the other jobs still get the request. Suspend-SmaJob
/// supports -WhatIf and -Confirm.
/// </para>
/// </remarks>
/// <returns>With -PassThru, each job as it is right after the request (Suspending); otherwise nothing.</returns>
/// <seealso cref="ResumeSmaJobCommand"/>
/// <seealso cref="WaitSmaJobCommand"/>
[Cmdlet(VerbsLifecycle.Suspend, "SmaJob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Job))]
public sealed class SuspendSmaJobCommand : JobRequestCmdlet
{
    protected override string Action => "Suspend job";

    protected override Job Request(Guid id) => Jobs.Suspend(id);

    protected override Job Request(Sma.Engine.Remote.RemoteService remote, Guid id) => remote.Suspend(id);
}
