using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine;

namespace Sma.Cmdlets.Commands;

/// <summary>
/// Removes schedules, and with each its links to runbooks and their occurrence history. The jobs a schedule started
/// stay (they keep its name in ScheduleName). A schedule that does not exist is a non-terminating ScheduleNotFound error.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "SmaSchedule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class RemoveSmaScheduleCommand : SmaCmdlet
{
    #region Parameters

    /// <summary>The names of the schedules to remove (exact, any case).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ScheduleName")]
    [ArgumentCompleter(typeof(ScheduleNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = Array.Empty<string>();

    #endregion

    protected override void Process()
    {
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
}
