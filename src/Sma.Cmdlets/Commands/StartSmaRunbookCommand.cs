using System.Collections;
using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>
/// Starts a job of a runbook's published version. Returns the job, whose ToString() is its id, so both
/// <c>$id = Start-SmaRunbook ...</c> (SMA) and <c>$job.Status</c> work. With -ScheduleName (as in SMA) it starts no job
/// now: it links the runbook to the schedule with the -Parameters values, checked exactly as for a start, and returns
/// the link; workers then start a job at each occurrence of the schedule.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "SmaRunbook", SupportsShouldProcess = true, DefaultParameterSetName = ByName)]
[OutputType(typeof(Job), typeof(ScheduledRunbook))]
public sealed class StartSmaRunbookCommand : RunbookCmdlet
{
    private readonly CancellationTokenSource _cancel = new();

    #region Parameters

    /// <summary>Parameter values by name, checked against the runbook's param() block.</summary>
    [Parameter(Position = 1)]
    public IDictionary? Parameters { get; set; }

    /// <summary>Wait until the job ends and return it as it ended.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>With -Wait: give up waiting after this many seconds (the job keeps running).</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Timeout { get; set; }

    /// <summary>
    /// Link the runbook to this schedule (Set-SmaSchedule) instead of starting a job now: each occurrence starts a job
    /// with the -Parameters values. Returns the link (see Get-SmaScheduledRunbook).
    /// </summary>
    [Parameter]
    [ArgumentCompleter(typeof(ScheduleNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? ScheduleName { get; set; }

    #endregion

    protected override void Process()
    {
        // A runbook that is not there is a per-item failure; a start it refuses (not published, bad parameters)
        // stays terminating: no job is created and nothing else was asked.
        if (FindSelectedRunbook() is not { } runbook)
            return;
        if (ScheduleName is not null)
        {
            ScheduledRunbookWriter.Link(this, Schedules, runbook, ScheduleName, Parameters, Wait);
            return;
        }
        if (!ShouldProcess(runbook.RunbookName, "Start a job"))
            return;
        var location = SessionState.Path.CurrentFileSystemLocation.ProviderPath;
        var job = Jobs.Start(runbook, Parameters, location);
        if (job.Status == "Failed" && runbook.RunbookWorker is { } pinned)
        {
            // The job exists (SMA's rule) but could not go anywhere: say so as an error, and return it.
            var error = Sma.Engine.SmaErrors.PinnedWorkerUnavailable(runbook.RunbookName, pinned);
            WriteError(new ErrorRecord(error, error.ErrorId, error.Category, job));
            WriteObject(job);
            return;
        }
        if (Wait)
        {
            job = JobWaiter.Wait(this, Jobs, new[] { job.JobId }, Timeout, _cancel.Token)[0];
        }
        WriteObject(job);
    }

    protected override void StopProcessing() => _cancel.Cancel();
}
