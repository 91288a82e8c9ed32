using System.Management.Automation;
using System.Runtime.InteropServices;
using Sma.Cmdlets.Infrastructure;
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

    #endregion

    protected override void Process()
    {
        // SIGTERM (a service manager stopping us) and SIGINT drain too, also when no console delivers Ctrl+C. Handled
        // from before the worker shows as Running, so a stop sent the moment it appears still drains it.
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
        using var intr = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        var workers = new WorkerService(Runtime);
        var worker = workers.Start(Name, ThrottleLimit);
        WriteVerbose($"Worker '{worker.Name}' runs jobs from {Runtime.Store.Location} (throttle {worker.ThrottleLimit}). " +
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
