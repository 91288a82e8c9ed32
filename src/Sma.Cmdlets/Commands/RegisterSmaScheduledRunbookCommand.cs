using System.Collections;
using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>
/// Links a runbook to a schedule with parameter values, as Azure Automation's Register-AzAutomationScheduledRunbook
/// does (and SMA's Start-SmaRunbook -ScheduleName, which is the same thing). The values are checked against the
/// runbook's param() block exactly as for a start, and secrets are encrypted; a bad value creates no link. Each
/// occurrence of the schedule then starts one job of the runbook's published version.
/// </summary>
[Cmdlet(VerbsLifecycle.Register, "SmaScheduledRunbook", SupportsShouldProcess = true, DefaultParameterSetName = ByName)]
[OutputType(typeof(ScheduledRunbook))]
public sealed class RegisterSmaScheduledRunbookCommand : RunbookCmdlet
{
    #region Parameters

    /// <summary>The schedule to link the runbook to (Set-SmaSchedule creates schedules).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ScheduleNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string ScheduleName { get; set; } = "";

    /// <summary>Parameter values by name for every job the schedule starts, checked against the runbook's param() block.</summary>
    [Parameter(Position = 2)]
    public IDictionary? Parameters { get; set; }

    #endregion

    protected override void Process()
    {
        if (FindSelectedRunbook() is { } runbook)
            ScheduledRunbookWriter.Link(this, Schedules, runbook, ScheduleName, Parameters, wait: false);
    }
}
