using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine;

namespace Sma.Cmdlets.Commands;

/// <summary>
/// Removes the link between a runbook and a schedule (alias Unregister-SmaScheduledRunbook, as Azure Automation names
/// it), with its parameter values and occurrence history; the runbook and the schedule stay, and so do the jobs the
/// link started. A link that does not exist is a non-terminating ScheduledRunbookNotFound error.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "SmaScheduledRunbook", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[Alias("Unregister-SmaScheduledRunbook")]
public sealed class RemoveSmaScheduledRunbookCommand : SmaCmdlet
{
    #region Parameters

    /// <summary>The linked runbook's name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(RunbookNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string RunbookName { get; set; } = "";

    /// <summary>The schedule's name.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ScheduleNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string ScheduleName { get; set; } = "";

    #endregion

    protected override void Process()
    {
        if (!ShouldProcess($"{RunbookName} -> {ScheduleName}", "Remove the link of the runbook to the schedule"))
            return;
        try
        {
            Schedules.Unlink(RunbookName, ScheduleName);
        }
        catch (SmaException e) when (e.ErrorId == "ScheduledRunbookNotFound")
        {
            WriteError(new ErrorRecord(e, e.ErrorId, e.Category, e.Target));
        }
    }
}
