using Sma.Engine.Model;
using Sma.Engine.States;

namespace Sma.Engine.Store;

/// <summary>
/// The job queue: jobs with their parameters and history, status changes (planned by the engine's
/// <see cref="JobStateMachine"/>, persisted with a compare-and-set), atomic claims by worker incarnations, and what
/// recovery reads and applies.
/// </summary>
public interface IJobQueue
{
    /// <summary>The inline child runbook versions a job uses, in the order they were resolved (none for most jobs).</summary>
    IReadOnlyList<ChildRunbookVersion> ReadJobSources(Guid jobId);

    Job CreateJob(NewJob job);
    Job? GetJob(Guid jobId);
    IReadOnlyList<Job> QueryJobs(JobQuery query);
    IReadOnlyList<JobStatusChange> ReadHistory(Guid jobId);

    /// <summary>
    /// Applies one change now, in its own transaction; throws InvalidJobStateTransition when not allowed.
    /// <paramref name="then"/> may name a second change to apply in the same transaction, given the status before.
    /// </summary>
    Job Transition(Guid jobId, JobTrigger trigger, TransitionChange change, Func<JobStatus, string?, JobTrigger?>? then = null);

    /// <summary>Applies one change if the table allows it from the current status; reports what happened.</summary>
    TransitionResult TryTransition(Guid jobId, JobTrigger trigger, TransitionChange change);

    /// <summary>Deletes final jobs with everything they recorded; a job that is not final is refused (JobNotFinished).</summary>
    void RemoveJob(Guid jobId);

    /// <summary>
    /// Atomically claims up to <paramref name="max"/> jobs (unpinned or pinned to <paramref name="worker"/>) for the
    /// worker incarnation <paramref name="holder"/>: Queued ones move to Starting; Resuming ones no worker holds are
    /// taken as they are, with their checkpoint.
    /// </summary>
    IReadOnlyList<JobWork> ClaimJobs(string worker, string holder, int max);

    /// <summary>Status, worker name and holding incarnation of the given jobs.</summary>
    IReadOnlyDictionary<Guid, JobState> GetStatuses(IReadOnlyCollection<Guid> jobIds);

    /// <summary>
    /// The incarnations that hold jobs in an active status (Starting, Running, Suspending, Stopping, Resuming), with
    /// their registry rows; only among <paramref name="jobIds"/> when given.
    /// </summary>
    IReadOnlyList<JobHolder> HoldersOfActiveJobs(IReadOnlyCollection<Guid>? jobIds);

    /// <summary>The jobs in an active status held by any of <paramref name="holders"/>.</summary>
    IReadOnlyList<HeldJob> JobsHeldBy(IReadOnlyCollection<string> holders);

    /// <summary>Resuming jobs pinned to a worker that no worker holds, waiting since before <paramref name="before"/>.</summary>
    IReadOnlyList<HeldJob> WaitingPinnedResumes(DateTime before);

    /// <summary>
    /// Applies recovery's actions in one transaction, each only if its job is still in the expected status and held
    /// by the expected incarnation (so two recoverers never act on one job twice); returns what was applied.
    /// </summary>
    IReadOnlyList<RecoveredJob> ApplyRecovery(IReadOnlyList<RecoveryAction> actions);
}
