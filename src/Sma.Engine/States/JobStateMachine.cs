using Sma.Engine.Model;
using Sma.Engine.Store;

namespace Sma.Engine.States;

/// <summary>
/// The one place that computes what a status change does (DESIGN §12): it asks the table (<see cref="JobTransitions"/>)
/// whether the change is allowed from the job's current state and returns its effects — times, counts, the worker
/// shown, who holds the job — as a <see cref="StatusChange"/> a store persists with a compare-and-set. Stores read and
/// write; they never decide.
/// </summary>
public static class JobStateMachine
{
    /// <summary>The change <paramref name="trigger"/> makes from <paramref name="current"/>, or null when refused.</summary>
    public static StatusChange? Plan(Guid jobId, JobState current, JobTrigger trigger, TransitionChange change)
    {
        // A change on behalf of a worker applies only while that incarnation holds the job.
        if (change.Holder is not null && !string.Equals(change.Holder, current.Holder, StringComparison.Ordinal))
            return null;
        if (!JobTransitions.TryNext(current.Status, trigger, out var to))
            return null;
        // A job waiting to resume is held by no worker; a suspended one neither.
        var worker = to == JobStatus.Resuming ? null : change.Worker ?? current.Worker;
        return new StatusChange
        {
            JobId = jobId,
            From = current.Status,
            FromHolder = current.Holder,
            To = to,
            Time = change.Time,
            Details = change.Details,
            Exception = change.Exception,
            ClearException = trigger == JobTrigger.Resume,
            Worker = worker,
            HistoryWorker = change.Worker ?? worker,
            ReleaseHolder = to is JobStatus.Resuming or JobStatus.Suspended,
            StampStart = to == JobStatus.Running,
            StampEnd = JobTransitions.IsFinal(to),
            ErrorCount = change.ErrorCount,
            WarningCount = change.WarningCount,
            RecoveryIncrement = trigger is JobTrigger.WorkerLostResumable or JobTrigger.WorkerLostFatal ? 1 : 0,
        };
    }

    /// <summary>
    /// What a saved checkpoint does to a job in <paramref name="current"/>: suspend it when the runbook asked
    /// (Suspend-Workflow) or a Suspend-SmaJob request is pending; otherwise nothing.
    /// </summary>
    public static (JobTrigger Trigger, string Details)? AtCheckpoint(JobStatus current, bool suspendRequested) =>
        suspendRequested ? (JobTrigger.SuspendedByRunbook, "Suspended by Suspend-Workflow in the runbook.")
        : current == JobStatus.Suspending ? (JobTrigger.CheckpointReached, "Suspended at a checkpoint, as requested.")
        : null;

    /// <summary>Compare-and-set attempts before a change that keeps losing races is reported as refused.</summary>
    private const int Attempts = 5;

    /// <summary>
    /// Applies one change through <paramref name="writer"/> (a store's open transaction): read the job's state, plan,
    /// compare-and-set; when another writer moved the job in between, read again and re-plan. A writer that knows the
    /// state it last left the job in passes it as <paramref name="expected"/>: the first plan is made from it without
    /// a read, and the compare-and-set checks it (a job moved since fails it, and the loop reads as usual).
    /// </summary>
    public static TransitionResult Apply(IStatusWriter writer, Guid jobId, JobTrigger trigger, TransitionChange change, JobState? expected = null)
    {
        if (expected is { } guess && Plan(jobId, guess, trigger, change) is { } fromGuess && writer.CompareAndSet(fromGuess))
            return new TransitionResult(true, guess.Status, fromGuess.To);
        // No guess, or it no longer holds (or the table refuses from it): only the job's real state decides.
        for (var attempt = 0; ; attempt++)
        {
            var current = writer.ReadState(jobId) ?? throw SmaErrors.JobNotFound(jobId);
            if (Plan(jobId, current, trigger, change) is not { } planned)
                return TransitionResult.Refused(current.Status);
            if (writer.CompareAndSet(planned))
                return new TransitionResult(true, current.Status, planned.To);
            if (attempt == Attempts)
                return TransitionResult.Refused(current.Status);
        }
    }

    /// <summary>
    /// Applies a recovery action: only if the job is still in the status and held by the incarnation recovery saw (so
    /// two recoverers never act on one job twice). Returns the status it moved to, or null when not applied.
    /// </summary>
    public static JobStatus? ApplyRecovery(IStatusWriter writer, RecoveryAction action, JobTrigger trigger)
    {
        var current = writer.ReadState(action.JobId);
        if (current is not { } state || state.Status != action.From || !string.Equals(state.Holder, action.Holder, StringComparison.Ordinal))
            return null;
        var planned = Plan(action.JobId, state, trigger, new TransitionChange { Details = action.Details });
        return planned is not null && writer.CompareAndSet(planned) ? planned.To : null;
    }
}

/// <summary>
/// What a store offers the state machine inside one of its write transactions (Hangfire's write-only transaction): read
/// a job's state, and persist a planned change if the job is still as planned — job row, history row and dashboard
/// counter together.
/// </summary>
public interface IStatusWriter
{
    /// <summary>The job's status, worker and holder; null when there is no such job.</summary>
    JobState? ReadState(Guid jobId);

    /// <summary>Writes the change if the job is still in its From status and held by its FromHolder; false otherwise.</summary>
    bool CompareAndSet(StatusChange change);
}
