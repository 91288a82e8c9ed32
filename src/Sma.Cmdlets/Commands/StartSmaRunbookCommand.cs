using System.Collections;
using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Starts a job of a runbook, or links the runbook to a schedule.</summary>
/// <remarks>
/// <para>
/// Start-SmaRunbook starts a job that runs the runbook's published version (RunbookNotPublished if it has none) with
/// the values in -Parameters. The values are checked against the runbook's param() block first: an unknown name, a
/// missing mandatory parameter or a value that cannot be converted to the declared type is an error (UnknownParameter,
/// MissingMandatoryParameter, InvalidParameterValue), and no job is created. Values are passed by value, as with
/// Start-Job: they are serialized, kept with the job and deserialized in the job's runspace. PSCredential and
/// SecureString values are stored encrypted. A runbook that is not found is a non-terminating error (RunbookNotFound),
/// so piping several runbooks in starts the others; a start the runbook refuses stops the command.
/// </para>
/// <para>
/// A command in the runbook named like another published runbook (and not a command of the session or a function the
/// runbook defines) runs that runbook inline, as a child, in the same job; children are found at any depth when the job
/// is started, and their versions are kept with the job (Get-SmaRunbookDefinition -Children lists them). A runbook that
/// calls itself through its children (ChildRunbookCycle) or a child without a published version
/// (ChildRunbookNotPublished) creates no job. The module's own cmdlets work inside a job and act on the job's store.
/// </para>
/// <para>
/// The job starts Queued (its JobStatus says New, SMA's word); the first available worker with a free slot runs it in a
/// fresh runspace, in the caller's current location. When no worker is available, this session starts its embedded
/// worker on background threads. A job of a runbook pinned to a worker (Set-SmaRunbookConfiguration -RunbookWorker)
/// that is not available fails at once: Start-SmaRunbook writes a RunbookWorkerUnavailable error and returns the
/// Failed job.
/// </para>
/// <para>
/// The job's string form is its id, so $id = Start-SmaRunbook ... works as it did with SMA, and the returned object has
/// SMA's properties too ($job.JobStatus, $job.JobParameters). With -Wait, Start-SmaRunbook shows a progress bar and
/// returns the job once it has ended (Completed, Failed or Stopped) or is Suspended. The embedded worker never keeps
/// pwsh running: in a script, use -Wait (or Wait-SmaJob) so that jobs finish before the script ends; when the script
/// ends normally, jobs still running are settled (a Workflow job is suspended, a Script job fails).
/// </para>
/// <para>
/// With -ScheduleName, as in SMA, Start-SmaRunbook starts no job now: it links the runbook to that schedule
/// (Set-SmaSchedule) with the -Parameters values, checked as for a start, and returns the link; the workers then start
/// a job at each occurrence of the schedule. It is the same as Register-SmaScheduledRunbook.
/// </para>
/// </remarks>
/// <returns>
/// The job: at once (Queued, or Failed for an unavailable pinned worker), or with -Wait as it ended. With -ScheduleName,
/// the link between the runbook and the schedule instead (RunbookName, ScheduleName, Parameters, NextRun).
/// </returns>
/// <seealso cref="WaitSmaJobCommand"/>
/// <seealso cref="GetSmaJobCommand"/>
/// <seealso cref="GetSmaJobOutputCommand"/>
/// <seealso cref="StopSmaJobCommand"/>
/// <seealso cref="RegisterSmaScheduledRunbookCommand"/>
[Cmdlet(VerbsLifecycle.Start, "SmaRunbook", SupportsShouldProcess = true, DefaultParameterSetName = ByName)]
[OutputType(typeof(Job), typeof(ScheduledRunbook))]
public sealed class StartSmaRunbookCommand : RunbookCmdlet
{
    private readonly CancellationTokenSource _cancel = new();

    #region Parameters

    /// <summary>
    /// The values of the runbook's parameters: a hashtable (any IDictionary) of parameter name, or alias, to value.
    /// Names are matched in any case. Omitted: the runbook's defaults.
    /// </summary>
    [Parameter(Position = 1)]
    public IDictionary? Parameters { get; set; }

    /// <summary>
    /// Waits, with a progress bar, until the job has ended or is Suspended, and returns it as it is then. Ctrl+C stops
    /// waiting, not the job.
    /// </summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>
    /// With -Wait, stops waiting after this many seconds: the job is returned as it is then, with a warning, and keeps
    /// running. Without -Wait it has no effect.
    /// </summary>
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

    protected override bool WorksRemotely => true;

    protected override void Process()
    {
        // A runbook that is not there is a per-item failure; a start it refuses (not published, bad parameters)
        // stays terminating: no job is created and nothing else was asked.
        if (FindSelectedRunbook() is not { } runbook)
            return;
        if (Remote is { } remote)
        {
            if (ScheduleName is not null)
            {
                ScheduledRunbookWriter.Link(this, remote, runbook, ScheduleName, Parameters, Wait);
                return;
            }
            if (!ShouldProcess(runbook.RunbookName, $"Start a job through {remote.Endpoint}"))
                return;
            var started = remote.Start(runbook, Parameters);
            WriteObject(Wait ? JobWaiter.Wait(this, remote, new[] { started.JobId }, Timeout, _cancel.Token)[0] : started);
            return;
        }
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
