using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Services;

namespace Sma.Cmdlets.Commands;

/// <summary>Asks a worker (in any process) to drain and stop: running jobs suspend at a checkpoint or finish.</summary>
[Cmdlet(VerbsLifecycle.Stop, "SmaWorker", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Sma.Engine.Model.WorkerInfo))]
public sealed class StopSmaWorkerCommand : SmaCmdlet
{
    #region Parameters

    /// <summary>The worker's name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>Wait until the worker has stopped.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>With -Wait: give up after this many seconds.</summary>
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
