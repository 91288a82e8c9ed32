using System.Management.Automation;
using System.Runtime.InteropServices;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Execution;
using Sma.Engine.Services;

namespace Sma.Cmdlets.Commands;

/// <summary>Runs a dedicated worker in this process until it is stopped.</summary>
/// <remarks>
/// <para>
/// Start-SmaWorker registers a worker in the store and runs jobs in this process until it is stopped: it takes Queued
/// jobs (and jobs pinned to its name) up to its throttle limit, runs each in a fresh runspace, acts on stop, suspend
/// and resume requests made from any session, and recovers the jobs of workers that were lost. The command blocks; it
/// prints one line when the worker is running.
/// </para>
/// <para>
/// Ctrl+C, SIGTERM or SIGINT, or Stop-SmaWorker from any session, drains the worker: it takes no new jobs, its running
/// jobs suspend at their next checkpoint (to continue on another worker) or finish, and then it stops. Several workers,
/// in several processes, can share one store; each job runs exactly once.
/// </para>
/// <para>
/// Each start is a new incarnation of the worker (its name, computer, process and start time): a worker restarted under
/// the same name after a crash does not adopt the old incarnation's jobs, which are recovered. When the process ends
/// normally while jobs still run, they are settled first: Workflow jobs Suspended at their last checkpoint, Script jobs
/// Failed, each naming the worker. The worker also fires schedules (Set-SmaSchedule) while it runs.
/// </para>
/// <para>
/// A name already used by a running worker is an error (WorkerNameInUse). Worker names use letters, digits, '.', '-'
/// and '_'.
/// </para>
/// </remarks>
/// <returns>When the worker has stopped, the worker as the store shows it then.</returns>
/// <seealso cref="StopSmaWorkerCommand"/>
/// <seealso cref="GetSmaRunbookWorkerDeploymentCommand"/>
/// <seealso cref="SetSmaRunbookConfigurationCommand"/>
[Cmdlet(VerbsLifecycle.Start, "SmaWorker")]
[OutputType(typeof(Sma.Engine.Model.WorkerInfo))]
public sealed class StartSmaWorkerCommand : SmaCmdlet
{
    private readonly ManualResetEventSlim _interrupted = new(false);
    private volatile Worker? _worker;

    #region Parameters

    /// <summary>
    /// The worker's name, unique among running workers; runbooks are pinned to it with Set-SmaRunbookConfiguration
    /// -RunbookWorker.
    /// </summary>
    /// <value>The computer's name.</value>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = Environment.MachineName;

    /// <summary>
    /// How many jobs the worker runs at once (1 to 10000); more wait Queued. The default is $env:SMA_THROTTLE_LIMIT, or
    /// else twice the processor count.
    /// </summary>
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

    protected override (string ActsOn, string Instead)? LocalOnly =>
        ("a worker in this process, which runs jobs on this machine",
         "run Start-SmaWorker on a machine that shares the server's store (-StorePath or $env:SMA_STORE naming it), or start the server with Start-SmaWebService -WithWorker");

    protected override void Process()
    {
        var tied = ParentProcessId > 0;
        // SIGTERM (a service manager stopping us) and SIGINT drain too, also when no console delivers Ctrl+C. Handled
        // from before the worker shows as Running, so a stop sent the moment it appears still drains it. A tied worker
        // shares its parent's terminal: the terminal's Ctrl+C and hang-up are the parent's business, not a stop.
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
        using var intr = PosixSignalRegistration.Create(PosixSignal.SIGINT, tied ? Ignore : Interrupt);
        using var hup = tied ? PosixSignalRegistration.Create(PosixSignal.SIGHUP, Ignore) : null;
        using var parent = tied ? ParentWatch.Start(ParentProcessId, BeginStop) : null;
        var workers = new WorkerService(Runtime);
        var worker = _worker = workers.Start(Name, ThrottleLimit);
        WriteVerbose($"Worker '{worker.Name}' runs jobs from {Runtime.Store.Description} (throttle {worker.ThrottleLimit}). " +
                     "Press Ctrl+C or run Stop-SmaWorker to drain and stop it.");
        Host.UI.WriteLine(tied
            ? $"Sma worker '{worker.Name}' is running (throttle {worker.ThrottleLimit}) for process {ParentProcessId}; it stops when that process ends."
            : $"Sma worker '{worker.Name}' is running (throttle {worker.ThrottleLimit}). Ctrl+C drains and stops it.");
        DateTime? drainingSince = null;
        while (!worker.Stopped.Wait(250))
        {
            if (_interrupted.IsSet && !worker.IsDraining)
                BeginStop(); // asked before the worker existed
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

    /// <summary>
    /// Drains at once, from whichever thread asks (a signal, the parent watch), so a tied worker claims nothing after
    /// its session let it go; a tied worker then shows as Stopping, so no session counts on it any more.
    /// </summary>
    private void BeginStop()
    {
        _interrupted.Set();
        if (_worker is not { IsDraining: false } worker)
            return;
        worker.Drain();
        if (ParentProcessId <= 0)
            return;
        try
        {
            Runtime.Store.RequestWorkerStop(worker.Name);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // it drains all the same; the registry shows it Stopped when it leaves
        }
    }

    private void Interrupt(PosixSignalContext context)
    {
        context.Cancel = true; // keep the process until the drain is done
        BeginStop();
    }

    private static void Ignore(PosixSignalContext context) => context.Cancel = true;
}
