using Sma.Engine.Model;
using Sma.Engine.States;

namespace Sma.Engine.Store;

/// <summary>What a new runbook is created with; <paramref name="Translated"/> is the script a Workflow source runs as.</summary>
public sealed record NewRunbook(
    string Name,
    RunbookType Type,
    string Source,
    string? Description,
    string? Tags,
    bool Publish,
    string? Translated = null);

/// <summary>Configuration changes; a null member leaves that setting as it is.</summary>
public sealed record RunbookChanges
{
    public bool? LogVerbose { get; init; }
    public bool? LogProgress { get; init; }
    public bool? LogDebug { get; init; }
    public string? Description { get; init; }
    public string? Tags { get; init; }
    public RunbookType? Type { get; init; }
    /// <summary>Set <see cref="SetRunbookWorker"/> to change the worker; <c>null</c> then clears the pin.</summary>
    public string? RunbookWorker { get; init; }
    public bool SetRunbookWorker { get; init; }
}

/// <summary>A parameter value as stored: CliXml in clear, or (for secrets) encrypted with a masked display text.</summary>
public sealed record StoredParameter(string Name, string? ValueXml, byte[]? Secret, string? Display);

/// <summary>Everything needed to queue a job.</summary>
public sealed record NewJob(
    Guid JobId,
    Runbook Runbook,
    Guid VersionId,
    IReadOnlyList<StoredParameter> Parameters,
    string? StartedBy,
    string? WorkingDirectory,
    string? AssignedWorker)
{
    /// <summary>The inline child runbook versions resolved at start, stored with the job (its source snapshot).</summary>
    public IReadOnlyList<ChildRunbookVersion> Children { get; init; } = Array.Empty<ChildRunbookVersion>();

    /// <summary>The schedule whose occurrence starts the job (null when started by Start-SmaRunbook).</summary>
    public string? ScheduleName { get; init; }

    /// <summary>The details of the job's first history row: why it was created.</summary>
    public string? Details { get; init; }
}

/// <summary>What a worker needs to run a job it claimed (from Queued, or from Resuming with its checkpoint).</summary>
public sealed record JobWork(
    Guid JobId,
    string RunbookName,
    RunbookType RunbookType,
    string Source,
    bool LogVerbose,
    bool LogProgress,
    bool LogDebug,
    string? WorkingDirectory,
    IReadOnlyList<StoredParameter> Parameters,
    long LastStreamId,
    JobStatus ClaimedFrom,
    CheckpointData? Checkpoint)
{
    /// <summary>The inline child runbook versions the job uses: the same ones on every run, resumes included.</summary>
    public IReadOnlyList<ChildRunbookVersion> Children { get; init; } = Array.Empty<ChildRunbookVersion>();

    /// <summary>
    /// The store's modules generation read with the claim (<see cref="IModuleStore.ModulesGeneration"/>), so the job
    /// need not read it again before it runs; null when the store did not read it.
    /// </summary>
    public long? ModulesGeneration { get; init; }
}

/// <summary>
/// A job's saved state: where to resume, the last record written before it, the current location, and the
/// runbook's variables (CliXml, or encrypted when they hold a secret). <see cref="ResumePath"/> is the resume
/// point as JSON (statement path, loop positions; see Execution/Resume/ResumePoint); <see cref="StateXml"/> holds
/// what travels beside the variables — the walked loops' remaining elements and the job's resume-state values —
/// encoded like them. A checkpoint saved before resume paths existed has neither: <see cref="StatementIndex"/>
/// (the top-level statement, kept for every checkpoint) is then where the job resumes.
/// </summary>
public sealed record CheckpointData(
    int StatementIndex,
    long LastStreamId,
    string? Location,
    string? VariablesXml,
    byte[]? Secret,
    string? ResumePath = null,
    string? StateXml = null,
    byte[]? StateSecret = null);

/// <summary>Save a checkpoint; in the same transaction, suspend the job if asked to or if a suspend is pending.</summary>
public sealed record SaveCheckpointOp(Guid JobId, CheckpointData Checkpoint, bool Suspend, Action<JobStatus?>? Done) : StoreOp;

/// <summary>What a status change writes beside the status itself.</summary>
public sealed record TransitionChange
{
    public string? Details { get; init; }
    public string? Exception { get; init; }
    public string? Worker { get; init; }
    public int? ErrorCount { get; init; }
    public int? WarningCount { get; init; }
    /// <summary>When the change happened, if not at commit (a job's start is stamped before its first record).</summary>
    public DateTime? Time { get; init; }
    /// <summary>Apply only while this worker incarnation holds the job (compare-and-set on the holder).</summary>
    public string? Holder { get; init; }
}

/// <summary>The outcome of a status change request; <see cref="Current"/> is null when the job no longer exists.</summary>
public readonly record struct TransitionResult(bool Applied, JobStatus? Current, JobStatus? To)
{
    public static TransitionResult Refused(JobStatus? current) => new(false, current, null);

    /// <summary>Set when the store could not apply the change at all (not a refusal by the table).</summary>
    public Exception? Error { get; init; }

    public static TransitionResult Failed(Exception error) => new(false, null, null) { Error = error };
}

/// <summary>A job's status, the worker name shown for it, and the worker incarnation that holds it.</summary>
public readonly record struct JobState(JobStatus Status, string? Worker, string? Holder);

/// <summary>One stream record ready to store.</summary>
public sealed record StreamRow(long StreamId, DateTime Time, StreamType Type, string Text, string? ValueXml, byte[]? Secret);

/// <summary>Filters for Get-SmaJob; null members do not filter.</summary>
public sealed record JobQuery
{
    public IReadOnlyList<Guid>? Ids { get; init; }
    /// <summary>Exact runbook names (wildcards are expanded by the caller against the runbook list).</summary>
    public string? RunbookNamePattern { get; init; }
    public Guid? RunbookId { get; init; }
    public IReadOnlyList<JobStatus>? Statuses { get; init; }
    public DateTime? ModifiedAfter { get; init; }
    public DateTime? ModifiedBefore { get; init; }
    public int? First { get; init; }
}

/// <summary>What recovery did with one job of a lost worker.</summary>
public sealed record RecoveredJob(Guid JobId, string? LostWorker, JobStatus From, JobStatus To);

/// <summary>A worker incarnation that holds active jobs, with its registry row (null when it has none).</summary>
public sealed record JobHolder(string IncarnationId, WorkerIncarnation? Registration);

/// <summary>A job in an active status, as recovery needs it to decide what happens to it.</summary>
public sealed record HeldJob(
    Guid JobId,
    JobStatus Status,
    RunbookType RunbookType,
    int RecoveryCount,
    string? Worker,
    string? Holder,
    string? AssignedWorker);

/// <summary>
/// What recovery asks the store to do with one job, if it is still <see cref="From"/> and held by
/// <see cref="Holder"/> (null: held by nobody): apply <see cref="Trigger"/>, or with no trigger release the job for
/// another worker (a Resuming job its holder never started).
/// </summary>
public sealed record RecoveryAction(Guid JobId, string? Holder, JobStatus From, JobTrigger? Trigger, string? Details);

/// <summary>One write in a group commit.</summary>
public abstract record StoreOp;

/// <summary>Append a job's stream records and its running error/warning counts.</summary>
public sealed record AppendStreamsOp(Guid JobId, IReadOnlyList<StreamRow> Rows, int ErrorCount, int WarningCount) : StoreOp;

/// <summary>Change a job's status; <see cref="Done"/> receives the outcome once committed.</summary>
public sealed record TransitionOp(Guid JobId, JobTrigger Trigger, TransitionChange Change, Action<TransitionResult>? Done) : StoreOp;
