using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine;

namespace Sma.Cmdlets.Commands;

/// <summary>Removes the link between a runbook and a schedule.</summary>
/// <remarks>
/// <para>
/// Remove-SmaScheduledRunbook removes the link, with its parameter values and its occurrence history, so the schedule
/// starts no more jobs of the runbook. The runbook and the schedule stay, and so do the jobs the link started.
/// Unregister-SmaScheduledRunbook, Azure Automation's name, is an alias.
/// </para>
/// <para>
/// Links can be piped in from Get-SmaScheduledRunbook (by their RunbookName and ScheduleName). A link that does not
/// exist is a non-terminating error (ScheduledRunbookNotFound). Remove-SmaScheduledRunbook supports -WhatIf and
/// -Confirm.
/// </para>
/// </remarks>
/// <seealso cref="GetSmaScheduledRunbookCommand"/>
/// <seealso cref="RegisterSmaScheduledRunbookCommand"/>
/// <seealso cref="RemoveSmaScheduleCommand"/>
[Cmdlet(VerbsCommon.Remove, "SmaScheduledRunbook", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[Alias("Unregister-SmaScheduledRunbook")]
public sealed class RemoveSmaScheduledRunbookCommand : SmaCmdlet
{
    #region Parameters

    /// <summary>
    /// The name of the linked runbook (exact, any case). Also taken from the pipeline, from a RunbookName property
    /// (links have one).
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(RunbookNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string RunbookName { get; set; } = "";

    /// <summary>
    /// The name of the schedule (exact, any case). Also taken from the pipeline, from a ScheduleName property (links
    /// have one).
    /// </summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ScheduleNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string ScheduleName { get; set; } = "";

    #endregion

    protected override bool WorksRemotely => true;

    protected override void Process()
    {
        if (!ShouldProcess($"{RunbookName} -> {ScheduleName}", "Remove the link of the runbook to the schedule"))
            return;
        try
        {
            if (Remote is { } remote)
                remote.Unlink(RunbookName, ScheduleName);
            else
                Schedules.Unlink(RunbookName, ScheduleName);
        }
        catch (SmaException e) when (e.ErrorId == "ScheduledRunbookNotFound")
        {
            WriteError(new ErrorRecord(e, e.ErrorId, e.Category, e.Target));
        }
    }
}
