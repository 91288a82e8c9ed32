using Sma.Engine.Execution;
using Sma.Engine.Model;

namespace Sma.Engine.Services;

/// <summary>Worker registry for the cmdlets: start a dedicated worker, ask one to stop, list them.</summary>
public sealed class WorkerService
{
    private readonly SmaRuntime _runtime;

    public WorkerService(SmaRuntime runtime) => _runtime = runtime;

    /// <summary>
    /// Workers (the latest incarnation of each name) with their status as seen now: one whose process is gone, or
    /// whose heartbeat went stale, shows as Lost.
    /// </summary>
    public IReadOnlyList<WorkerInfo> List()
    {
        var now = _runtime.Store.ReadClock(); // heartbeats are stamped on the store's clock
        var lostAfter = Worker.LostAfter;
        return _runtime.Store.ListWorkers().Select(w => new WorkerInfo
        {
            Name = w.Name,
            ComputerName = w.ComputerName,
            ProcessId = w.ProcessId,
            IsEmbedded = w.IsEmbedded,
            Status = w.Status != "Stopped" && WorkerLiveness.Local.WhyDead(w, now, lostAfter) is not null ? "Lost" : w.Status,
            StartTime = w.StartTime,
            LastHeartbeat = w.LastHeartbeat,
            ThrottleLimit = w.ThrottleLimit,
            RunningJobs = w.RunningJobs,
            IncarnationId = w.IncarnationId,
            LastError = w.LastError,
        }).ToList();
    }

    /// <summary>True when the worker runs and is alive (its process exists; its heartbeat is fresh).</summary>
    public bool IsAvailable(string name) =>
        List().Any(w => w.Name.Equals(name, StringComparison.OrdinalIgnoreCase) && w.Status == "Running");

    public bool AnyAvailable() => List().Any(w => w.Status == "Running");

    /// <summary>Starts a dedicated worker in this process; refuses a name another live worker uses.</summary>
    public Worker Start(string name, int throttleLimit)
    {
        RunbookSource.CheckWorkerName(name);
        if (List().FirstOrDefault(w => w.Name.Equals(name, StringComparison.OrdinalIgnoreCase) && w.Status is "Running" or "Stopping")
            is { } live)
            throw SmaErrors.WorkerNameInUse(name, live.ComputerName, live.ProcessId);
        return _runtime.StartWorker(name, throttleLimit);
    }

    /// <summary>Asks a worker in any process to drain and stop.</summary>
    public void Stop(string name)
    {
        if (!_runtime.Store.RequestWorkerStop(name))
            throw SmaErrors.WorkerNotRunning(name);
        _runtime.WakeWorkers();
    }
}
