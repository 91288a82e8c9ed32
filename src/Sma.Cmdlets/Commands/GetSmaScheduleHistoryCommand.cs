using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Gets what became of the occurrences of schedules: started, missed or failed.</summary>
/// <remarks>
/// <para>
/// Get-SmaScheduleHistory returns one row per occurrence and linked runbook, newest first: Started, with the job it
/// created (JobId) and how late (Lateness); Missed, when no worker ran from the occurrence until the grace period had
/// passed, so it was not run late (a run of missed occurrences is one row, with Count and ThroughTime); or Failed, when
/// a worker could not create the job (Details says why). Nothing is dropped silently.
/// </para>
/// <para>
/// The grace period is 5 minutes, or $env:SMA_SCHEDULE_GRACE seconds as set for the workers; an occurrence found within
/// it runs once, late. -ScheduleName and -RunbookName narrow the rows (exact names, any case; one that does not exist is
/// a non-terminating ScheduleNotFound or RunbookNotFound error), -First caps them (100 by default). History is kept as
/// long as jobs are (PurgeJobsOlderThanCountDays).
/// </para>
/// <para>
/// Through a remote -WebServiceEndpoint it reads the server's history (ScheduleOccurrences/GetHistory) and returns the
/// same rows, times to the millisecond.
/// </para>
/// </remarks>
/// <returns>
/// Occurrences: ScheduleName, RunbookName, OccurrenceTime, Outcome (Started, Missed or Failed), Count and ThroughTime
/// (missed runs), JobId, Lateness, RecordedTime (UTC), Worker and Details.
/// </returns>
/// <seealso cref="GetSmaScheduledRunbookCommand"/>
/// <seealso cref="GetSmaScheduleCommand"/>
/// <seealso cref="GetSmaJobCommand"/>
[Cmdlet(VerbsCommon.Get, "SmaScheduleHistory")]
[OutputType(typeof(ScheduleOccurrence))]
public sealed class GetSmaScheduleHistoryCommand : SmaCmdlet
{
    #region Parameters

    /// <summary>
    /// Gets only the occurrences of this schedule (exact name, any case). Also taken from the pipeline, from a
    /// ScheduleName property (links have one).
    /// </summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ScheduleNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? ScheduleName { get; set; }

    /// <summary>
    /// Gets only the occurrences for this runbook (exact name, any case). Also taken from the pipeline, from a
    /// RunbookName property.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(RunbookNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? RunbookName { get; set; }

    /// <summary>Gets at most this many rows, the newest (1 to 100000).</summary>
    [Parameter]
    [ValidateRange(1, 100000)]
    public int First { get; set; } = 100;

    #endregion

    protected override bool WorksRemotely => true;

    protected override void Process()
    {
        try
        {
            WriteObject(Remote?.ScheduleHistory(ScheduleName, RunbookName, First) ?? Schedules.History(ScheduleName, RunbookName, First),
                enumerateCollection: true);
        }
        catch (SmaException e) when (e.ErrorId is "ScheduleNotFound" or "RunbookNotFound")
        {
            WriteError(new ErrorRecord(e, e.ErrorId, e.Category, e.Target));
        }
    }
}
