using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Services;

namespace Sma.Cmdlets.Commands;

/// <summary>
/// Asks workers (in any process) to drain and stop: running jobs suspend at a checkpoint or finish. A worker that is
/// not running is a non-terminating WorkerNotRunning error; the others are still asked.
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "SmaWorker", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Sma.Engine.Model.WorkerInfo))]
public sealed class StopSmaWorkerCommand : SmaCmdlet
{
    #region Parameters

    /// <summary>The workers' names.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Wait until each worker has stopped.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>With -Wait: give up after this many seconds (for all the workers of the call together).</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int Timeout { get; set; } = 600;

    #endregion

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
