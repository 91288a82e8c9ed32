using Sma.Engine.Model;
using Sma.Engine.States;
using Sma.Engine.Store;

namespace Sma.Engine.Execution;

/// <summary>
/// What happens to the jobs of a worker that is gone (DESIGN §4.4): the engine's decisions, which the store then
/// applies as transitions. Workflow jobs resume from their last checkpoint (at most <see cref="MaxRecoveries"/>
/// times), Script jobs fail naming the worker, a stop under way completes, a pinned job whose worker is not available
/// waits Suspended for Resume-SmaJob, and a job claimed for a resume but never started is released.
/// </summary>
public static class RecoveryPolicy
{
    /// <summary>Automatic recoveries per job; the next loss fails it.</summary>
    public const int MaxRecoveries = 3;

    /// <summary>
    /// The action for a job whose holder is dead for <paramref name="reason"/>. <paramref name="pinnedWorkerAvailable"/>
    /// tells whether the worker the job is pinned to (if any) is running now.
    /// </summary>
    public static RecoveryAction Decide(HeldJob job, string reason, bool pinnedWorkerAvailable, int maxRecoveries = MaxRecoveries)
    {
        var lost = $"Worker '{job.Worker}' was lost ({reason})";
        var waitsForPin = job.AssignedWorker is not null && !pinnedWorkerAvailable;
        return job.Status switch
        {
            JobStatus.Stopping => Act(job, JobTrigger.PipelineStopped, $"{lost} while stopping the job."),
            JobStatus.Resuming when waitsForPin => Act(job, JobTrigger.AwaitPinnedWorker, $"{lost} before the resume started. {WaitsFor(job.AssignedWorker!)}"),
            JobStatus.Resuming => Act(job, null, null),
            _ when job.RunbookType == RunbookType.Workflow && job.RecoveryCount < maxRecoveries && waitsForPin =>
                Act(job, JobTrigger.AwaitPinnedWorker, $"{lost}. {WaitsFor(job.AssignedWorker!)}"),
            _ when job.RunbookType == RunbookType.Workflow && job.RecoveryCount < maxRecoveries =>
                Act(job, JobTrigger.WorkerLostResumable,
                    $"{lost}; resuming from the last checkpoint (recovery {job.RecoveryCount + 1} of {maxRecoveries})."),
            _ when job.RunbookType == RunbookType.Workflow =>
                Act(job, JobTrigger.WorkerLostFatal, $"{lost}, and the job has already been recovered {job.RecoveryCount} times."),
            _ => Act(job, JobTrigger.WorkerLostFatal, $"{lost}; a Script runbook cannot resume, so the job failed."),
        };
    }

    /// <summary>A resume nobody has picked up, pinned to a worker that is not available: it waits Suspended instead.</summary>
    public static RecoveryAction? DecideWaitingResume(HeldJob job, bool pinnedWorkerAvailable) =>
        job.AssignedWorker is { } pinned && !pinnedWorkerAvailable
            ? Act(job, JobTrigger.AwaitPinnedWorker, $"The resume waited for worker '{pinned}', which is not available. {WaitsFor(pinned)}")
            : null;

    /// <summary>What a worker whose process exits normally does with a job it still runs.</summary>
    public static (JobTrigger Trigger, string Details) OnExit(RunbookType type, string worker) => type == RunbookType.Workflow
        ? (JobTrigger.WorkerExitedResumable,
            $"Worker '{worker}' exited while the job ran; the job is suspended at its last checkpoint. Resume-SmaJob continues it.")
        : (JobTrigger.WorkerExitedFatal,
            $"Worker '{worker}' exited while the job ran; a Script runbook cannot resume, so the job failed.");

    private static string WaitsFor(string pinned) =>
        $"The job is pinned to worker '{pinned}', which is not available, so it waits Suspended: run Resume-SmaJob once " +
        $"'{pinned}' runs again (Start-SmaWorker -Name {pinned}) to continue it from its last checkpoint.";

    private static RecoveryAction Act(HeldJob job, JobTrigger? trigger, string? details) =>
        new(job.JobId, job.Holder, job.Status, trigger, details);
}
