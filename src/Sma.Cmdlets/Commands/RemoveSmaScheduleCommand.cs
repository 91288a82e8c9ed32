using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine;

namespace Sma.Cmdlets.Commands;

/// <summary>Removes schedules, with their links to runbooks.</summary>
/// <remarks>
/// <para>
/// Remove-SmaSchedule deletes each named schedule together with its links to runbooks and their occurrence history, so
/// it starts no more jobs. The jobs it started stay, and keep its name in their ScheduleName property.
/// </para>
/// <para>
/// Names are exact (any case); schedules can be piped in from Get-SmaSchedule. A schedule that does not exist is a
/// non-terminating error (ScheduleNotFound) and the others are still removed. Remove-SmaSchedule supports -WhatIf and
/// -Confirm, and says how many links would go with each schedule.
/// </para>
/// </remarks>
/// <seealso cref="GetSmaScheduleCommand"/>
/// <seealso cref="SetSmaScheduleCommand"/>
/// <seealso cref="RemoveSmaScheduledRunbookCommand"/>
[Cmdlet(VerbsCommon.Remove, "SmaSchedule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class RemoveSmaScheduleCommand : SmaCmdlet
{
    #region Parameters

    /// <summary>
    /// The names of the schedules to remove (exact, any case). Also taken from the pipeline, by value or from a Name or
    /// ScheduleName property (schedules and links have one).
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ScheduleName")]
    [ArgumentCompleter(typeof(ScheduleNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = Array.Empty<string>();

    #endregion

    protected override bool WorksRemotely => true;

    protected override void Process()
    {
        if (Remote is { } remote)
        {
            ProcessRemote(remote);
            return;
        }
        foreach (var name in Name)
        {
            var schedule = Schedules.Find(name);
            if (schedule is null)
            {
                var error = SmaErrors.ScheduleNotFound(name);
                WriteError(new ErrorRecord(error, error.ErrorId, error.Category, error.Target));
                continue;
            }
            var links = Schedules.Links(null, WildcardPattern.Escape(schedule.Name)).Count;
            var what = links == 0 ? "Remove schedule" : $"Remove schedule and its {links} link{(links == 1 ? "" : "s")} to runbooks";
            if (!ShouldProcess(schedule.Name, what))
                continue;
            try
            {
                Schedules.Remove(schedule);
            }
            catch (SmaException e) when (e.ErrorId == "ScheduleNotFound")
            {
                WriteError(new ErrorRecord(e, e.ErrorId, e.Category, e.Target)); // removed meanwhile, by someone else
            }
        }
    }

    /// <summary>Through the web service: each schedule found by name is deleted by its id, its links with it.</summary>
    private void ProcessRemote(Sma.Engine.Remote.RemoteService remote)
    {
        foreach (var name in Name)
        {
            PerItem(() =>
            {
                var schedule = remote.GetSchedule(name);
                if (ShouldProcess(schedule.Name, "Remove schedule and its links to runbooks"))
                    remote.RemoveSchedule(schedule);
            });
        }
    }
}
