using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Gets schedules from the store.</summary>
/// <remarks>
/// <para>
/// Without parameters, Get-SmaSchedule returns every schedule. -Name selects schedules by name, in any case, with
/// wildcards; a name without wildcards that no schedule has is a non-terminating error (ScheduleNotFound) and the other
/// names are still looked up. Names can be piped in, as can objects with a Name or ScheduleName property.
/// </para>
/// <para>
/// A schedule has SMA's properties (ScheduleID, Name, ScheduleType, StartTime, ExpiryTime, NextRun, DayInterval,
/// IsEnabled, Description, CreationTime, LastModifiedTime) plus Interval, Recurrence, DaysOfWeek, Cron, TimeZone and
/// IsExpired (no occurrence left: a one-time schedule that has fired, or one past its expiry time). Times on the objects
/// are UTC; the table view shows NextRun in your local time, or (disabled) or (expired).
/// </para>
/// </remarks>
/// <returns>Schedules, one per match, by name.</returns>
/// <seealso cref="SetSmaScheduleCommand"/>
/// <seealso cref="GetSmaScheduledRunbookCommand"/>
/// <seealso cref="RemoveSmaScheduleCommand"/>
[Cmdlet(VerbsCommon.Get, "SmaSchedule")]
[OutputType(typeof(Schedule))]
public sealed class GetSmaScheduleCommand : SmaCmdlet
{
    #region Parameters

    /// <summary>
    /// The names of the schedules (any case; wildcards allowed). Omitted: every schedule. Also taken from the pipeline,
    /// by value or from a Name or ScheduleName property.
    /// </summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [Alias("ScheduleName")]
    [ArgumentCompleter(typeof(ScheduleNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    #endregion

    protected override bool WorksRemotely => true;

    protected override void Process()
    {
        Func<string?, IReadOnlyList<Schedule>> list = Remote is { } remote ? remote.ListSchedules : pattern => Schedules.List(pattern);
        if (Name is null)
        {
            WriteObject(list(null), enumerateCollection: true);
            return;
        }
        foreach (var name in Name)
        {
            var found = list(WildcardPattern.ContainsWildcardCharacters(name) ? name : WildcardPattern.Escape(name));
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
