using System.Collections;
using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Links a runbook to a schedule, so that each occurrence starts a job of it.</summary>
/// <remarks>
/// <para>
/// Register-SmaScheduledRunbook links the runbook to the schedule with the values in -Parameters, as Azure Automation's
/// Register-AzAutomationScheduledRunbook does; SMA's Start-SmaRunbook -Name -ScheduleName does the same. The values are
/// checked against the runbook's param() block exactly as for a start (UnknownParameter, MissingMandatoryParameter,
/// InvalidParameterValue), and PSCredential and SecureString values are stored encrypted; a bad value creates no link.
/// </para>
/// <para>
/// Each occurrence of the schedule then starts exactly one job of the runbook's published version at that time, with
/// these values, across all workers; the job's ScheduleName property and the first line of its history say which
/// schedule started it. A runbook is linked to a schedule once (RunbookAlreadyScheduled: remove the link to change its
/// values), a schedule with no occurrence left cannot be linked (ScheduleExpired), and an unknown schedule is an error
/// (ScheduleNotFound). A runbook that is not found is a non-terminating error (RunbookNotFound).
/// </para>
/// <para>
/// Schedules fire only while a worker runs: when no worker is running, a warning says so. Run a dedicated worker
/// (Start-SmaWorker) for schedules that must fire. Register-SmaScheduledRunbook supports -WhatIf and -Confirm.
/// </para>
/// <para>
/// Through a remote -WebServiceEndpoint the values travel as text, as for Start-SmaRunbook, and the server converts
/// them to the runbook's parameter types; a credential cannot be one (RemoteSecretParameter). The jobs then start in
/// the server's working folder. Linking needs the Administrator role.
/// </para>
/// </remarks>
/// <returns>
/// The link: RunbookName, ScheduleName, Parameters (secrets masked), NextRun (the occurrence it fires next, UTC), and
/// JobScheduleId, RunbookId, ScheduleId, CreationTime.
/// </returns>
/// <seealso cref="GetSmaScheduledRunbookCommand"/>
/// <seealso cref="RemoveSmaScheduledRunbookCommand"/>
/// <seealso cref="SetSmaScheduleCommand"/>
/// <seealso cref="StartSmaRunbookCommand"/>
[Cmdlet(VerbsLifecycle.Register, "SmaScheduledRunbook", SupportsShouldProcess = true, DefaultParameterSetName = ByName)]
[OutputType(typeof(ScheduledRunbook))]
public sealed class RegisterSmaScheduledRunbookCommand : RunbookCmdlet
{
    #region Parameters

    /// <summary>
    /// The schedule to link the runbook to (Set-SmaSchedule creates schedules). Also taken from the pipeline, from a
    /// ScheduleName property.
    /// </summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ScheduleNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string ScheduleName { get; set; } = "";

    /// <summary>
    /// The values of the runbook's parameters for every job the schedule starts: a hashtable (any IDictionary) of
    /// parameter name to value, checked against the runbook's param() block. Omitted: the runbook's defaults.
    /// </summary>
    [Parameter(Position = 2)]
    public IDictionary? Parameters { get; set; }

    #endregion

    protected override bool WorksRemotely => true;

    protected override void Process()
    {
        if (FindSelectedRunbook() is { } runbook)
        {
            if (Remote is { } remote)
                ScheduledRunbookWriter.Link(this, remote, runbook, ScheduleName, Parameters, wait: false);
            else
                ScheduledRunbookWriter.Link(this, Schedules, runbook, ScheduleName, Parameters, wait: false);
        }
    }
}
