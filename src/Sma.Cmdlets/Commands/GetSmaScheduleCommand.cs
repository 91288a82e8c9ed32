using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>
/// Lists schedules: SMA's properties (ScheduleID, Name, ScheduleType, StartTime, ExpiryTime, NextRun, DayInterval,
/// IsEnabled, Description, CreationTime, LastModifiedTime) plus Interval, DaysOfWeek, Cron, TimeZone and IsExpired.
/// A name without wildcards that matches no schedule is a non-terminating ScheduleNotFound error.
/// </summary>
[Cmdlet(VerbsCommon.Get, "SmaSchedule")]
[OutputType(typeof(Schedule))]
public sealed class GetSmaScheduleCommand : SmaCmdlet
{
    #region Parameters

    /// <summary>Schedule names; wildcards are allowed. Omitted: every schedule.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ScheduleName")]
    [ArgumentCompleter(typeof(ScheduleNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    #endregion

    protected override void Process()
    {
        if (Name is null)
        {
            WriteObject(Schedules.List(), enumerateCollection: true);
            return;
        }
        foreach (var name in Name)
        {
            var found = Schedules.List(WildcardPattern.ContainsWildcardCharacters(name) ? name : WildcardPattern.Escape(name));
            if (found.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
            {
                var error = SmaErrors.ScheduleNotFound(name);
                WriteError(new ErrorRecord(error, error.ErrorId, error.Category, error.Target));
                continue;
            }
            WriteObject(found, enumerateCollection: true);
        }
    }
}
