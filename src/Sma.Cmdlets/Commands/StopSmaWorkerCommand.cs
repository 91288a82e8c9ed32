using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Services;

namespace Sma.Cmdlets.Commands;

/// <summary>Asks workers to drain and stop.</summary>
/// <remarks>
/// <para>
/// Stop-SmaWorker asks each named worker, in whatever process it runs, to drain: it takes no new jobs, its running jobs
/// suspend at their next checkpoint (to continue on another worker) or finish, and then it stops. The worker acts on
/// the request within about a tenth of a second. A name that no running worker has is a non-terminating error
/// (WorkerNotRunning) and the other workers are still asked.
/// </para>
/// <para>
/// By default Stop-SmaWorker returns at once. With -Wait it waits until each worker has stopped and returns it, or
/// warns once -Timeout seconds (for all the workers of the call together) have passed that a worker is still draining.
/// Stop-SmaWorker supports -WhatIf and -Confirm.
/// </para>
/// </remarks>
/// <returns>With -Wait, each worker once it has stopped; otherwise nothing.</returns>
/// <seealso cref="StartSmaWorkerCommand"/>
/// <seealso cref="GetSmaRunbookWorkerDeploymentCommand"/>
[Cmdlet(VerbsLifecycle.Stop, "SmaWorker", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Sma.Engine.Model.WorkerInfo))]
public sealed class StopSmaWorkerCommand : SmaCmdlet
{
    #region Parameters

    /// <summary>
    /// The names of the workers to stop. Also taken from the pipeline, from a Name property (workers have one).
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Waits until each worker has stopped, and returns it.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>
    /// With -Wait, stops waiting after this many seconds (for all the workers of the call together), with a warning;
    /// the workers go on draining.
    /// </summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int Timeout { get; set; } = 600;

    #endregion

    protected override (string ActsOn, string Instead)? LocalOnly =>
        ("the workers registered in a store it opens directly",
         "run Stop-SmaWorker on the machine where the worker runs, or with -StorePath naming the store the worker uses");

    protected override void Process()
    {
        var workers = new WorkerService(Runtime);
        var asked = new List<string>();
        foreach (var name in Name)
        {
            if (ShouldProcess(name, "Drain and stop worker"))
                PerItem(() => { workers.Stop(name); asked.Add(name); });
        }
        if (!Wait)
            return;
        var deadline = DateTime.UtcNow.AddSeconds(Timeout);
        foreach (var name in asked)
        {
            while (true)
            {
                var worker = workers.List().FirstOrDefault(w => w.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
                if (worker is null || worker.Status is "Stopped" or "Lost")
                {
                    WriteObject(worker);
                    break;
                }
                if (DateTime.UtcNow >= deadline || Stopping)
                {
                    WriteWarning($"Worker '{name}' did not stop within {Timeout} seconds; it is still draining.");
                    break;
                }
                Thread.Sleep(100);
            }
        }
    }
}
