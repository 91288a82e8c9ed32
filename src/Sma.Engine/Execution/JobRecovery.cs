using Sma.Engine.Model;
using Sma.Engine.Store;

namespace Sma.Engine.Execution;

/// <summary>
/// Finds the jobs of dead worker incarnations and has the store apply what <see cref="RecoveryPolicy"/> decides.
/// Workers run it on every heartbeat; reading commands run the cheap <see cref="CheckJobs"/> on the jobs they show,
/// so a session that only reads never shows a dead worker's job as running, and nothing waits for some session to
/// start a job.
/// </summary>
public sealed class JobRecovery
{
    private readonly IJobStore _store;
    private readonly WorkerLiveness _liveness;
    private readonly Func<DateTime> _clock;

    /// <param name="store">The store to recover in.</param>
    /// <param name="liveness">Who is dead.</param>
    /// <param name="clock">UTC now (tests move it to make heartbeats stale); by default the store's clock, which stamps heartbeats.</param>
    public JobRecovery(IJobStore store, WorkerLiveness liveness, Func<DateTime>? clock = null)
    {
        _store = store;
        _liveness = liveness;
        _clock = clock ?? store.ReadClock;
    }

    /// <summary>Recovers every job held by a dead incarnation, and pinned resumes whose worker is not there.</summary>
    public IReadOnlyList<RecoveredJob> RecoverLost()
    {
        var now = _clock();
        var lostAfter = Worker.LostAfter;
        var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var holder in _store.HoldersOfActiveJobs(null))
        {
            if (_liveness.WhyDead(holder.Registration, now, lostAfter) is { } reason)
                reasons[holder.IncarnationId] = reason;
        }
        var workers = new Lazy<IReadOnlyList<WorkerIncarnation>>(_store.ListWorkers);
        bool PinnedAvailable(string? name) => name is not null && workers.Value.Any(w =>
            w.Name.Equals(name, StringComparison.OrdinalIgnoreCase) && w.Status == "Running" && _liveness.WhyDead(w, now, lostAfter) is null);

        var actions = new List<RecoveryAction>();
        foreach (var job in _store.JobsHeldBy(reasons.Keys))
            actions.Add(RecoveryPolicy.Decide(job, reasons[job.Holder!], PinnedAvailable(job.AssignedWorker)));
        foreach (var job in _store.WaitingPinnedResumes(now - lostAfter))
            if (RecoveryPolicy.DecideWaitingResume(job, PinnedAvailable(job.AssignedWorker)) is { } action)
                actions.Add(action);
        return _store.ApplyRecovery(actions);
    }

    /// <summary>
    /// For a reading command, on jobs it read as held by a worker: if any is held by a dead incarnation, recover. True
    /// when the caller must read the jobs again: a holder was dead (whoever applied the recovery), or none of the jobs
    /// is held any more — they moved on since the caller read them (another process recovered them first, or they
    /// ended), so what it read is stale. One query (the holders with their registry rows) when all are alive.
    /// </summary>
    public bool CheckJobs(IReadOnlyCollection<Guid> heldJobIds)
    {
        if (heldJobIds.Count == 0)
            return false;
        var now = _clock();
        var lostAfter = Worker.LostAfter;
        var holders = _store.HoldersOfActiveJobs(heldJobIds);
        if (holders.Count == 0)
            return true;
        if (!holders.Any(h => _liveness.WhyDead(h.Registration, now, lostAfter) is not null))
            return false;
        RecoverLost();
        return true;
    }
}
