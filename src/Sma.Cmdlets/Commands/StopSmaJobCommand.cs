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
public sealed class StopSmaJobCommand : SmaCmdlet
{
    #region Parameters

    /// <summary>Job ids (a Guid, a job object or its text).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("JobId")]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = Array.Empty<string>();

    /// <summary>Return the job after the request.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    #endregion

    protected override void Process()
    {
        foreach (var text in Id)
        {
            var id = ParseJobId(text);
            var job = Jobs.Get(id);
            if (!ShouldProcess($"{id} ({job.RunbookName}, {job.JobStatus})", "Stop job"))
                continue;
            job = Jobs.Stop(id);
            if (PassThru)
                WriteObject(job);
        }
    }
}
