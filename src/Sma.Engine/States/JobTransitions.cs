using Sma.Engine.Model;

namespace Sma.Engine.States;

/// <summary>
/// The job state machine of DESIGN §4.3 — the one place that knows which status changes are allowed.
/// Everything else asks <see cref="TryNext"/> or <see cref="Next"/>.
/// </summary>
public static class JobTransitions
{
    /// <summary>The status every new job starts in.</summary>
    public const JobStatus Initial = JobStatus.Queued;

    private static readonly (JobStatus From, JobTrigger Trigger, JobStatus To)[] Table =
    {
        (JobStatus.Queued, JobTrigger.Claim, JobStatus.Starting),
        (JobStatus.Queued, JobTrigger.PinnedWorkerUnavailable, JobStatus.Failed),
        (JobStatus.Queued, JobTrigger.Stop, JobStatus.Stopping),
        (JobStatus.Starting, JobTrigger.ScriptStarted, JobStatus.Running),
        (JobStatus.Starting, JobTrigger.StartFailed, JobStatus.Failed),
        (JobStatus.Starting, JobTrigger.Stop, JobStatus.Stopping),
        (JobStatus.Starting, JobTrigger.WorkerLostResumable, JobStatus.Resuming),
        (JobStatus.Starting, JobTrigger.WorkerLostFatal, JobStatus.Failed),
        (JobStatus.Running, JobTrigger.ScriptCompleted, JobStatus.Completed),
        (JobStatus.Running, JobTrigger.ScriptFailed, JobStatus.Failed),
        (JobStatus.Running, JobTrigger.SuspendedByRunbook, JobStatus.Suspended),
        (JobStatus.Running, JobTrigger.Suspend, JobStatus.Suspending),
        (JobStatus.Running, JobTrigger.Stop, JobStatus.Stopping),
        (JobStatus.Running, JobTrigger.WorkerLostResumable, JobStatus.Resuming),
        (JobStatus.Running, JobTrigger.WorkerLostFatal, JobStatus.Failed),
        (JobStatus.Suspending, JobTrigger.CheckpointReached, JobStatus.Suspended),
        (JobStatus.Suspending, JobTrigger.SuspendedByRunbook, JobStatus.Suspended),
        (JobStatus.Suspending, JobTrigger.ScriptCompleted, JobStatus.Completed),
        (JobStatus.Suspending, JobTrigger.ScriptFailed, JobStatus.Failed),
        (JobStatus.Suspending, JobTrigger.Stop, JobStatus.Stopping),
        (JobStatus.Suspending, JobTrigger.WorkerLostResumable, JobStatus.Resuming),
        (JobStatus.Suspending, JobTrigger.WorkerLostFatal, JobStatus.Failed),
        (JobStatus.Suspended, JobTrigger.Resume, JobStatus.Resuming),
        (JobStatus.Suspended, JobTrigger.Stop, JobStatus.Stopping),
        (JobStatus.Resuming, JobTrigger.Resumed, JobStatus.Running),
        (JobStatus.Resuming, JobTrigger.ResumeFailed, JobStatus.Failed),
        (JobStatus.Resuming, JobTrigger.Stop, JobStatus.Stopping),
        (JobStatus.Stopping, JobTrigger.PipelineStopped, JobStatus.Stopped),
        (JobStatus.Stopping, JobTrigger.StopAbandoned, JobStatus.Stopped),
        // Recovery of a pinned job whose worker is gone: it waits Suspended for Resume-SmaJob, not Resuming forever.
        (JobStatus.Starting, JobTrigger.AwaitPinnedWorker, JobStatus.Suspended),
        (JobStatus.Running, JobTrigger.AwaitPinnedWorker, JobStatus.Suspended),
        (JobStatus.Suspending, JobTrigger.AwaitPinnedWorker, JobStatus.Suspended),
        (JobStatus.Resuming, JobTrigger.AwaitPinnedWorker, JobStatus.Suspended),
        // A worker process that exits normally settles its own jobs before it goes.
        (JobStatus.Starting, JobTrigger.WorkerExitedResumable, JobStatus.Suspended),
        (JobStatus.Running, JobTrigger.WorkerExitedResumable, JobStatus.Suspended),
        (JobStatus.Suspending, JobTrigger.WorkerExitedResumable, JobStatus.Suspended),
        (JobStatus.Resuming, JobTrigger.WorkerExitedResumable, JobStatus.Suspended),
        (JobStatus.Stopping, JobTrigger.WorkerExitedResumable, JobStatus.Stopped),
        (JobStatus.Starting, JobTrigger.WorkerExitedFatal, JobStatus.Failed),
        (JobStatus.Running, JobTrigger.WorkerExitedFatal, JobStatus.Failed),
        (JobStatus.Suspending, JobTrigger.WorkerExitedFatal, JobStatus.Failed),
        (JobStatus.Resuming, JobTrigger.WorkerExitedFatal, JobStatus.Failed),
        (JobStatus.Stopping, JobTrigger.WorkerExitedFatal, JobStatus.Stopped),
    };

    private static readonly Dictionary<(JobStatus, JobTrigger), JobStatus> Lookup =
        Table.ToDictionary(row => (row.From, row.Trigger), row => row.To);

    /// <summary>Every allowed change, for tests and documentation.</summary>
    public static IReadOnlyList<(JobStatus From, JobTrigger Trigger, JobStatus To)> All => Table;

    /// <summary>The status that <paramref name="trigger"/> leads to from <paramref name="from"/>, if allowed.</summary>
    public static bool TryNext(JobStatus from, JobTrigger trigger, out JobStatus to) =>
        Lookup.TryGetValue((from, trigger), out to);

    /// <summary>The next status, or an <see cref="SmaException"/> with ErrorId InvalidJobStateTransition.</summary>
    public static JobStatus Next(Guid jobId, JobStatus from, JobTrigger trigger) =>
        TryNext(from, trigger, out var to) ? to : throw SmaErrors.InvalidTransition(jobId, from, trigger);

    /// <summary>Completed, Failed and Stopped: nothing changes a job after these.</summary>
    public static bool IsFinal(JobStatus status) =>
        status is JobStatus.Completed or JobStatus.Failed or JobStatus.Stopped;

    /// <summary>Final statuses and Suspended: nothing more happens to the job until someone asks (what Wait waits for).</summary>
    public static bool IsAtRest(JobStatus status) => IsFinal(status) || status == JobStatus.Suspended;

    /// <summary>
    /// A stop request on a job that no runspace holds (Queued, Suspended, Resuming not yet picked up by a worker)
    /// completes at once: Stopping is followed by Stopped in the same transaction.
    /// </summary>
    public static bool StopsAtOnce(JobStatus from, string? worker) =>
        from is JobStatus.Queued or JobStatus.Suspended || from == JobStatus.Resuming && worker is null;

    /// <summary>Statuses in which a worker owns the job and its runspace may be live.</summary>
    public static bool IsActive(JobStatus status) =>
        status is JobStatus.Starting or JobStatus.Running or JobStatus.Suspending or JobStatus.Stopping;
}
