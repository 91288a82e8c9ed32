using System.Management.Automation;
using System.Runtime.InteropServices;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Execution;
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

    /// <summary>
    /// Ties the worker to another process, as the module does for a session's background worker (Process isolation):
    /// when that process exits, or this process's standard input ends, the worker drains and running jobs get
    /// $env:SMA_STOP_TIMEOUT seconds (10) to finish or reach a checkpoint; what still runs then is settled as at a
    /// normal exit (Workflow jobs Suspended, Script jobs Failed). Ctrl+C is ignored (it belongs to that process), and
    /// jobs read no console input.
    /// </summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int ParentProcessId { get; set; }

    #endregion

    protected override void Process()
    {
        var tied = ParentProcessId > 0;
        // SIGTERM (a service manager stopping us) and SIGINT drain too, also when no console delivers Ctrl+C. Handled
        // from before the worker shows as Running, so a stop sent the moment it appears still drains it. A tied worker
        // shares its parent's terminal: the terminal's Ctrl+C and hang-up are the parent's business, not a stop.
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
        using var intr = PosixSignalRegistration.Create(PosixSignal.SIGINT, tied ? Ignore : Interrupt);
        using var hup = tied ? PosixSignalRegistration.Create(PosixSignal.SIGHUP, Ignore) : null;
        using var parent = tied ? ParentWatch.Start(ParentProcessId, _interrupted.Set) : null;
        var workers = new WorkerService(Runtime);
        var worker = workers.Start(Name, ThrottleLimit);
        WriteVerbose($"Worker '{worker.Name}' runs jobs from {Runtime.Store.Location} (throttle {worker.ThrottleLimit}). " +
                     "Press Ctrl+C or run Stop-SmaWorker to drain and stop it.");
        Host.UI.WriteLine(tied
            ? $"Sma worker '{worker.Name}' is running (throttle {worker.ThrottleLimit}) for process {ParentProcessId}; it stops when that process ends."
            : $"Sma worker '{worker.Name}' is running (throttle {worker.ThrottleLimit}). Ctrl+C drains and stops it.");
        DateTime? drainingSince = null;
        while (!worker.Stopped.Wait(250))
        {
            if (_interrupted.IsSet && !worker.IsDraining)
            {
                if (tied)
                    TryMarkStopping(worker.Name); // other sessions no longer count on it
                worker.Drain();
            }
            if (tied && worker.IsDraining)
            {
                // Nobody waits for a tied worker's jobs any more: bounded, then settled as at a normal exit.
                drainingSince ??= DateTime.UtcNow;
                if (DateTime.UtcNow - drainingSince > Worker.StopTimeout)
                    worker.Dispose();
            }
        }
        WriteObject(workers.List().FirstOrDefault(w => w.Name.Equals(worker.Name, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>Ctrl+C: drain rather than abandon running jobs (a tied worker ignores it).</summary>
    protected override void StopProcessing()
    {
        if (ParentProcessId <= 0)
            _interrupted.Set();
    }

    private void TryMarkStopping(string name)
    {
        try
        {
            Runtime.Store.RequestWorkerStop(name);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            WriteVerbose($"Could not mark worker '{name}' Stopping: {e.Message}"); // it drains all the same
        }
    }

    private void Interrupt(PosixSignalContext context)
    {
        context.Cancel = true; // keep the process until the drain is done
        _interrupted.Set();
    }

    private static void Ignore(PosixSignalContext context) => context.Cancel = true;
}
