using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Resumes Suspended jobs: Resuming, then Running on any available worker, from the last checkpoint (or from the beginning if there is none).</summary>
[Cmdlet(VerbsLifecycle.Resume, "SmaJob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Job))]
public sealed class ResumeSmaJobCommand : JobRequestCmdlet
{
    protected override string Action => "Resume job";

    protected override Job Request(Guid id) => Jobs.Resume(id);

    protected override Job Request(Sma.Engine.Remote.RemoteService remote, Guid id) => remote.Resume(id);
}
