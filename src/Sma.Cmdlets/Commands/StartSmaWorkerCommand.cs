using System.Management.Automation;
using System.Runtime.InteropServices;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Services;

namespace Sma.Cmdlets.Commands;

/// <summary>
/// Runs a dedicated worker in this process until Ctrl+C or Stop-SmaWorker (from any session). Then it drains:
/// it takes no new jobs, running jobs suspend at their next checkpoint (and continue on another worker) or finish.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "SmaWorker")]
[OutputType(typeof(Sma.Engine.Model.WorkerInfo))]
public sealed class StartSmaWorkerCommand : SmaCmdlet
{
    private readonly ManualResetEventSlim _interrupted = new(false);

    #region Parameters

    /// <summary>The worker's name, unique among running workers (the name runbooks are pinned to).</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = Environment.MachineName;

    /// <summary>How many jobs it runs at once (default: twice the processor count).</summary>
    [Parameter]
    [ValidateRange(1, 10000)]
    public int ThrottleLimit { get; set; }

    #endregion

    protected override void Process()
    {
        // SIGTERM (a service manager stopping us) and SIGINT drain too, also when no console delivers Ctrl+C. Handled
        // from before the worker shows as Running, so a stop sent the moment it appears still drains it.
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
        using var intr = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        var workers = new WorkerService(Runtime);
        var worker = workers.Start(Name, ThrottleLimit);
        WriteVerbose($"Worker '{worker.Name}' runs jobs from {Runtime.Store.Description} (throttle {worker.ThrottleLimit}). " +
                     "Press Ctrl+C or run Stop-SmaWorker to drain and stop it.");
        Host.UI.WriteLine($"Sma worker '{worker.Name}' is running (throttle {worker.ThrottleLimit}). Ctrl+C drains and stops it.");
        while (!worker.Stopped.Wait(250))
        {
            if (_interrupted.IsSet)
                worker.Drain();
        }
        WriteObject(workers.List().FirstOrDefault(w => w.Name.Equals(worker.Name, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>Ctrl+C: drain rather than abandon running jobs.</summary>
    protected override void StopProcessing() => _interrupted.Set();

    private void Interrupt(PosixSignalContext context)
    {
        context.Cancel = true; // keep the process until the drain is done
        _interrupted.Set();
    }
}
