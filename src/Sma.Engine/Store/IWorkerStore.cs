using Sma.Engine.Model;
using Sma.Engine.States;

namespace Sma.Engine.Store;

/// <summary>The worker registry: incarnations, heartbeats (on the store's clock), stop requests.</summary>
public interface IWorkerStore
{
    /// <summary>
    /// Now, on the store's clock (the database server's for a shared store): heartbeats are stamped with it, so
    /// staleness is judged on it too, never on one worker's own clock.
    /// </summary>
    DateTime ReadClock();

    /// <summary>Registers a new incarnation; older stopped incarnations of the name that hold no job are pruned.</summary>
    void RegisterWorker(WorkerRegistration worker);

    /// <summary>
    /// Records that the incarnation is alive, with its load and last error; returns its registry status (Stopping
    /// when asked to drain).
    /// </summary>
    string? Heartbeat(string incarnation, int runningJobs, string? lastError);

    void UnregisterWorker(string incarnation);

    /// <summary>Asks a worker (in any process) to drain and stop; false when no such worker is running.</summary>
    bool RequestWorkerStop(string worker);

    /// <summary>The latest incarnation of every worker name.</summary>
    IReadOnlyList<WorkerIncarnation> ListWorkers();
}
