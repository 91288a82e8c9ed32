using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>
/// What became of schedule occurrences, newest first: Started (with the job and how late it was created), Missed (no
/// worker ran from the occurrence until the grace period had passed; a run of missed occurrences is one row with its
/// count), or Failed (a worker could not create the job, with the reason). Kept as long as jobs are.
/// </summary>
[Cmdlet(VerbsCommon.Get, "SmaScheduleHistory")]
[OutputType(typeof(ScheduleOccurrence))]
public sealed class GetSmaScheduleHistoryCommand : SmaCmdlet
{
    #region Parameters

    /// <summary>Only occurrences of this schedule (exact name, any case).</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ScheduleNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? ScheduleName { get; set; }

    /// <summary>Only occurrences for this runbook (exact name, any case).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(RunbookNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? RunbookName { get; set; }

    /// <summary>At most this many rows (1 to 100000; default 100).</summary>
    [Parameter]
    [ValidateRange(1, 100000)]
    public int First { get; set; } = 100;

    #endregion

    protected override void Process()
    {
        try
        {
            WriteObject(Schedules.History(ScheduleName, RunbookName, First), enumerateCollection: true);
        }
        catch (SmaException e) when (e.ErrorId is "ScheduleNotFound" or "RunbookNotFound")
        {
            WriteError(new ErrorRecord(e, e.ErrorId, e.Category, e.Target));
        }
    }
}
