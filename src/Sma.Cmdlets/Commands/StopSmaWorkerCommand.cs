using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Services;

namespace Sma.Cmdlets.Commands;

/// <summary>Asks a worker to drain and stop.</summary>
/// <remarks>
/// <para>
/// Stop-SmaWorker asks the named worker, in whatever process it runs, to drain: it takes no new jobs, its running jobs
/// suspend at their next checkpoint (to continue on another worker) or finish, and then it stops. The worker acts on
/// the request within about a tenth of a second. A name that no running worker has is an error (WorkerNotRunning).
/// </para>
/// <para>
/// By default Stop-SmaWorker returns at once. With -Wait it waits until the worker has stopped and returns it, or warns
/// after -Timeout seconds that it is still draining. Stop-SmaWorker supports -WhatIf and -Confirm.
/// </para>
/// </remarks>
/// <returns>With -Wait, the worker once it has stopped; otherwise nothing.</returns>
/// <seealso cref="StartSmaWorkerCommand"/>
/// <seealso cref="GetSmaRunbookWorkerDeploymentCommand"/>
[Cmdlet(VerbsLifecycle.Stop, "SmaWorker", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Sma.Engine.Model.WorkerInfo))]
public sealed class StopSmaWorkerCommand : SmaCmdlet
{
    #region Parameters

    /// <summary>
    /// The name of the worker to stop. Also taken from the pipeline, from a Name property (workers have one).
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>Waits until the worker has stopped, and returns it.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>
    /// With -Wait, stops waiting after this many seconds, with a warning; the worker goes on draining.
    /// </summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int Timeout { get; set; } = 600;

    #endregion

    protected override void Process()
    {
        if (!ShouldProcess(Name, "Drain and stop worker"))
            return;
        var workers = new WorkerService(Runtime);
        workers.Stop(Name);
        if (!Wait)
            return;
        var deadline = DateTime.UtcNow.AddSeconds(Timeout);
        while (DateTime.UtcNow < deadline && !Stopping)
        {
            var worker = workers.List().FirstOrDefault(w => w.Name.Equals(Name, StringComparison.OrdinalIgnoreCase));
            if (worker is null || worker.Status is "Stopped" or "Lost")
            {
                WriteObject(worker);
                return;
            }
            Thread.Sleep(100);
        }
        WriteWarning($"Worker '{Name}' did not stop within {Timeout} seconds; it is still draining.");
    }
}
