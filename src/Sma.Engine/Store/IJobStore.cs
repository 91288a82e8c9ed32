using Sma.Engine.Model;
using Sma.Engine.States;

namespace Sma.Engine.Store;

/// <summary>
/// Everything the engine and the services persist. SQLite implements it today; a server database can implement it
/// later without touching the engine. Every status change goes through the transition table inside the store's
/// transaction, with its history row. Assets and modules have their own interfaces (IAssetStore, IModuleStore), part
/// of this one until the store is split by concern.
/// </summary>
public interface IJobStore : IAssetStore, IModuleStore, IDisposable
{
    /// <summary>Where the store lives (a file path for SQLite).</summary>
    string Location { get; }

    /// <summary>Set when the store went away under this process (deleted or replaced); it is then unusable.</summary>
    SmaException? Broken { get; }

    // Runbooks
    Runbook? FindRunbook(string name);
    Runbook? FindRunbook(Guid id);
    IReadOnlyList<Runbook> ListRunbooks();
    Runbook CreateRunbook(NewRunbook runbook);
    /// <summary>Replaces the draft; <paramref name="translated"/> is the script a Workflow source runs as (else null).</summary>
    Runbook SetDraft(Guid runbookId, string source, bool overwrite, string? translated = null);
    Runbook Publish(Guid runbookId);
    Runbook Configure(Guid runbookId, RunbookChanges changes);
    void RemoveRunbook(Guid runbookId);
    RunbookDefinition? GetDefinition(Guid versionId);

    /// <summary>The runbooks with these names (any case); names no runbook has are left out.</summary>
    IReadOnlyList<Runbook> FindRunbooks(IReadOnlyCollection<string> names);

    /// <summary>The inline child runbook versions a job uses, in the order they were resolved (none for most jobs).</summary>
    IReadOnlyList<ChildRunbookVersion> ReadJobSources(Guid jobId);

    // Jobs
    Job CreateJob(NewJob job);
    Job? GetJob(Guid jobId);
    IReadOnlyList<Job> QueryJobs(JobQuery query);
    /// <summary>Records in StreamRecordId order, read lazily so a huge job is never held in memory.</summary>
    IEnumerable<StreamRow> ReadStreams(Guid jobId, StreamType? type, DateTime? since);
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

    /// <summary>Ids of final jobs that ended before <paramref name="cutoff"/> (oldest first).</summary>
    IReadOnlyList<Guid> FinalJobsEndedBefore(DateTime cutoff, int max);

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

    /// <summary>Applies many writes in one transaction (group commit), in order.</summary>
    void ApplyBatch(IReadOnlyList<StoreOp> ops);

    /// <summary>Checks the store's integrity (PRAGMA integrity_check) and counts what it holds.</summary>
    StoreReport Inspect();

    // Workers

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

    // Dashboard, settings and retention

    /// <summary>
    /// Counts status-history rows by time slice and status entered: slice k is
    /// [<paramref name="start"/> + k·<paramref name="slice"/>, + <paramref name="slice"/>), for k below
    /// <paramref name="sliceCount"/>. <paramref name="runbookPattern"/> (a name or a wildcard pattern, any case)
    /// limits it to the jobs of matching runbooks; null counts every job. Slices and statuses with no rows are left out.
    /// </summary>
    IReadOnlyList<StatusCount> CountStatusChanges(DateTime start, TimeSpan slice, int sliceCount, string? runbookPattern);

    /// <summary>Writes jobs with their history, parameters and records as given, in one transaction (tests, benchmarks).</summary>
    void SeedJobs(IReadOnlyList<SeedJob> jobs);

    /// <summary>A store-wide setting (admin_configuration), or null when it is not set.</summary>
    string? GetSetting(string key);

    void SetSetting(string key, string value);

    /// <summary>
    /// Deletes up to <paramref name="max"/> final jobs whose last change is before <paramref name="cutoff"/> (any
    /// age when null), oldest first, with everything they recorded, in one transaction; returns how many it deleted.
    /// </summary>
    int PurgeFinalJobs(DateTime? cutoff, int max);

    /// <summary>How many jobs the store holds, in any status.</summary>
    long CountJobs();
}
