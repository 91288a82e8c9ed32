namespace Sma.Engine.States;

/// <summary>What asks a job to change status. The transition table maps (status, trigger) to the next status.</summary>
public enum JobTrigger
{
    /// <summary>A worker claims a Queued job.</summary>
    Claim,
    /// <summary>The pinned RunbookWorker is not available.</summary>
    PinnedWorkerUnavailable,
    /// <summary>Stop-SmaJob.</summary>
    Stop,
    /// <summary>The runspace is open and the script starts.</summary>
    ScriptStarted,
    /// <summary>The runbook could not start (runspace or parameter binding failure).</summary>
    StartFailed,
    /// <summary>The script ended; non-terminating errors do not fail a job.</summary>
    ScriptCompleted,
    /// <summary>A terminating error in a Script runbook, or a non-zero exit code.</summary>
    ScriptFailed,
    /// <summary>A terminating error in a Workflow runbook, or Suspend-Workflow in the runbook.</summary>
    SuspendedByRunbook,
    /// <summary>Suspend-SmaJob.</summary>
    Suspend,
    /// <summary>A Suspending job reached its next checkpoint.</summary>
    CheckpointReached,
    /// <summary>Resume-SmaJob.</summary>
    Resume,
    /// <summary>A worker resumed the job from its last checkpoint.</summary>
    Resumed,
    /// <summary>The resume could not start.</summary>
    ResumeFailed,
    /// <summary>The pipeline stopped after a stop request.</summary>
    PipelineStopped,
    /// <summary>Recovery: the job's worker was lost and the job can resume (Workflow runbook).</summary>
    WorkerLostResumable,
    /// <summary>Recovery: the job's worker was lost and the job cannot resume (Script runbook, or too many losses).</summary>
    WorkerLostFatal,
    /// <summary>
    /// Recovery: the job's worker was lost, or its resume waits, and the worker the job is pinned to is not available:
    /// the job waits Suspended until Resume-SmaJob.
    /// </summary>
    AwaitPinnedWorker,
    /// <summary>The job's worker process is exiting normally and the job can resume later (Workflow runbook).</summary>
    WorkerExitedResumable,
    /// <summary>The job's worker process is exiting normally and the job cannot resume (Script runbook).</summary>
    WorkerExitedFatal,
    /// <summary>A stop did not take effect within the bound: the job's thread is abandoned.</summary>
    StopAbandoned,
}
