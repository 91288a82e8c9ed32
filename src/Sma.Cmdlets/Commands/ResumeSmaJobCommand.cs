using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Resumes suspended jobs from their last checkpoint.</summary>
/// <remarks>
/// <para>
/// Resume-SmaJob moves a Suspended job to Resuming. Any available worker then continues it in a fresh runspace: the
/// parameters are bound again from their stored values, the variables and location saved by the last
/// Checkpoint-Workflow are restored, and the script goes on from that checkpoint (from the beginning if the job has
/// none). Its records continue the same StreamRecordId sequence.
/// </para>
/// <para>
/// Only a Suspended job can be resumed. A job in any other status (InvalidJobStateTransition) or not found
/// (JobNotFound) is a non-terminating error: the job is left unchanged and the other jobs still get the request.
/// Resume-SmaJob supports -WhatIf and -Confirm.
/// </para>
/// </remarks>
/// <returns>With -PassThru, each job as it is right after the request (Resuming); otherwise nothing.</returns>
/// <seealso cref="SuspendSmaJobCommand"/>
/// <seealso cref="WaitSmaJobCommand"/>
[Cmdlet(VerbsLifecycle.Resume, "SmaJob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Job))]
public sealed class ResumeSmaJobCommand : JobRequestCmdlet
{
    protected override string Action => "Resume job";

    protected override Job Request(Guid id) => Jobs.Resume(id);

    protected override Job Request(Sma.Engine.Remote.RemoteService remote, Guid id) => remote.Resume(id);
}
