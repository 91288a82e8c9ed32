using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine;
using Sma.Engine.Model;
using Sma.Engine.Scheduling;

namespace Sma.Cmdlets.Commands;

/// <summary>Creates a schedule, or changes an existing schedule's description or whether it is enabled.</summary>
/// <remarks>
/// <para>
/// Set-SmaSchedule creates the schedule -Name names when it does not exist: one of SMA's (-ScheduleType OneTimeSchedule,
/// which fires once at -StartTime, or DailySchedule, every -DayInterval days), an hourly or weekly one as in Azure
/// Automation (-HourInterval; -WeekInterval with -DaysOfWeek), or a cron schedule (-Cron, five fields, six with seconds
/// first, or a macro such as @daily). -ExpiryTime ends any of them. Bad values are errors that create nothing: a
/// one-time start in the past (ScheduleStartInPast), an expiry not after the start (ScheduleExpiryBeforeStart), an
/// invalid cron expression (InvalidCronExpression), an unknown time zone (UnknownTimeZone).
/// </para>
/// <para>
/// Every schedule has a time zone: -TimeZone (an IANA id such as Europe/Berlin, or a Windows id), else yours, recorded
/// with the schedule so that every worker, on any computer, computes the same occurrences. A -StartTime from Get-Date
/// is your local time, a UTC DateTime is UTC, and a time typed without a zone ('2030-01-01 02:00') is a wall-clock time
/// in the schedule's zone. Daily, weekly and cron schedules keep their wall-clock time across daylight saving time; a
/// time the clocks skip runs when they jump, and a time that happens twice runs once. Hourly schedules count elapsed
/// hours.
/// </para>
/// <para>
/// As in SMA, an existing schedule keeps its type and times: given with -Name alone, -Description and -IsEnabled change
/// it; given the same definition again (a deployment script that runs twice), only -Description is applied; other times
/// or another type are refused with ScheduleCannotChange, and the schedule must be removed and created again. A disabled
/// schedule starts no jobs, and its occurrences are not counted as missed; enabled again, it goes on from its next
/// occurrence. Set-SmaSchedule supports -WhatIf and -Confirm.
/// </para>
/// <para>
/// A schedule alone starts nothing: link runbooks to it with Start-SmaRunbook -ScheduleName or
/// Register-SmaScheduledRunbook. Every worker, in any process, then starts exactly one job per occurrence and linked
/// runbook; schedules fire only while a worker runs.
/// </para>
/// <para>
/// Through a remote -WebServiceEndpoint the schedule is checked here as locally (without -TimeZone, the caller's own
/// zone is recorded) and created or changed on the server (the Administrator role).
/// </para>
/// </remarks>
/// <returns>
/// The schedule as it is now: ScheduleID, Name, ScheduleType, StartTime, ExpiryTime and NextRun (UTC; NextRun is empty
/// when the schedule is disabled or has no occurrence left), DayInterval, Interval, Recurrence (in words), DaysOfWeek,
/// Cron, TimeZone, IsEnabled, IsExpired and Description.
/// </returns>
/// <seealso cref="GetSmaScheduleCommand"/>
/// <seealso cref="RegisterSmaScheduledRunbookCommand"/>
/// <seealso cref="RemoveSmaScheduleCommand"/>
[Cmdlet(VerbsCommon.Set, "SmaSchedule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = ChangeSet)]
[OutputType(typeof(Schedule))]
public sealed class SetSmaScheduleCommand : SmaCmdlet
{
    // Parameter sets: change an existing schedule, or create one of SMA's, an hourly, a weekly or a cron schedule.
    private const string ChangeSet = "Change";
    private const string SmaSet = "Sma";
    private const string HourlySet = "Hourly";
    private const string WeeklySet = "Weekly";
    private const string CronSet = "Cron";

    #region Parameters

    /// <summary>
    /// The schedule's name (unique, any case; spaces allowed, wildcards not). Also taken from the pipeline, from a Name
    /// or ScheduleName property.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("ScheduleName")]
    [ArgumentCompleter(typeof(ScheduleNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>SMA's schedule type: OneTimeSchedule (runs once at -StartTime) or DailySchedule (every -DayInterval days).</summary>
    [Parameter(Mandatory = true, ParameterSetName = SmaSet)]
    [ValidateSet("OneTimeSchedule", "DailySchedule", IgnoreCase = true)]
    public string ScheduleType { get; set; } = "";

    /// <summary>
    /// The first occurrence. A time from Get-Date is the caller's local time; a UTC time is UTC; a time typed without
    /// a zone ('2030-01-01 09:00') is a wall-clock time in -TimeZone. Optional for -Cron (no occurrence before it).
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = SmaSet)]
    [Parameter(Mandatory = true, ParameterSetName = HourlySet)]
    [Parameter(Mandatory = true, ParameterSetName = WeeklySet)]
    [Parameter(ParameterSetName = CronSet)]
    public DateTime StartTime { get; set; }

    /// <summary>No occurrence at or after this time (read like -StartTime). Omitted: the schedule never expires.</summary>
    [Parameter(ParameterSetName = SmaSet)]
    [Parameter(ParameterSetName = HourlySet)]
    [Parameter(ParameterSetName = WeeklySet)]
    [Parameter(ParameterSetName = CronSet)]
    public DateTime ExpiryTime { get; set; }

    /// <summary>DailySchedule: days between occurrences (1 to 365; default 1). Ignored by a OneTimeSchedule, as in SMA.</summary>
    [Parameter(ParameterSetName = SmaSet)]
    [ValidateRange(1, 365)]
    public int DayInterval { get; set; } = 1;

    /// <summary>An hourly schedule: hours between occurrences (1 to 8784), counted in elapsed time from -StartTime.</summary>
    [Parameter(Mandatory = true, ParameterSetName = HourlySet)]
    [ValidateRange(1, 8784)]
    public int HourInterval { get; set; }

    /// <summary>A weekly schedule: weeks between occurrences (1 to 52); weeks start on Monday.</summary>
    [Parameter(Mandatory = true, ParameterSetName = WeeklySet)]
    [ValidateRange(1, 52)]
    public int WeekInterval { get; set; }

    /// <summary>A weekly schedule: the days it runs on, at -StartTime's time of day. Omitted: -StartTime's day.</summary>
    [Parameter(ParameterSetName = WeeklySet)]
    [ValidateNotNullOrEmpty]
    public DayOfWeek[]? DaysOfWeek { get; set; }

    /// <summary>
    /// A cron expression: five fields (minute hour day-of-month month day-of-week, e.g. '0 9 * * MON-FRI'), six with
    /// seconds first, or a macro such as '@daily'.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = CronSet)]
    [ValidateNotNullOrEmpty]
    public string Cron { get; set; } = "";

    /// <summary>
    /// The time zone occurrences are computed in: an IANA id (Europe/Berlin) or a Windows id (W. Europe Standard
    /// Time). Omitted: the caller's own zone, recorded with the schedule so every worker agrees.
    /// </summary>
    [Parameter(ParameterSetName = SmaSet)]
    [Parameter(ParameterSetName = HourlySet)]
    [Parameter(ParameterSetName = WeeklySet)]
    [Parameter(ParameterSetName = CronSet)]
    [ArgumentCompleter(typeof(TimeZoneCompleter))]
    [ValidateNotNullOrEmpty]
    public string? TimeZone { get; set; }

    /// <summary>The schedule's description; the one thing that changes on an existing schedule in SMA.</summary>
    [Parameter]
    public string? Description { get; set; }

    /// <summary>
    /// Enables or disables an existing schedule (as Azure Automation's Set-AzAutomationSchedule). Disabled, it starts
    /// no jobs; enabled again, it goes on from its next occurrence (what fell in between is not "missed").
    /// </summary>
    [Parameter(ParameterSetName = ChangeSet)]
    public bool IsEnabled { get; set; }

    #endregion

    private bool Given(string parameter) => MyInvocation.BoundParameters.ContainsKey(parameter);

    protected override bool WorksRemotely => true;

    protected override void Process()
    {
        if (Remote is { } remote)
        {
            // Through the web service: SMA's rules are checked here, and the server checks again.
            Decide(remote.FindSchedule(Name), s => s.Name, Sma.Engine.Remote.RemoteService.CheckUnchanged,
                (s, setDescription, enabled) => remote.UpdateSchedule(s, setDescription, Description, enabled),
                s => s, request => request.Define(DateTime.UtcNow), definition => remote.CreateSchedule(Name, definition, Description));
            return;
        }
        Decide(Schedules.Find(Name), s => s.Name, Schedules.CheckUnchanged,
            (s, setDescription, enabled) => Schedules.Update(s, setDescription, Description, enabled),
            s => Schedules.Get(s.Name), Schedules.Define, definition => Schedules.Create(Name, definition, Description));
    }

    /// <summary>
    /// SMA's decisions, the same for the local store and a web service (whose schedules are another type): change an
    /// existing schedule, show it unchanged, or create it.
    /// </summary>
    private void Decide<T>(T? existing, Func<T, string> nameOf, Action<T, ScheduleRequest> checkUnchanged,
        Func<T, bool, bool?, object> update, Func<T, object> current, Func<ScheduleRequest, ScheduleDefinition> define,
        Func<ScheduleDefinition, object> create) where T : class
    {
        if (ParameterSetName == ChangeSet)
        {
            if (existing is null)
                throw SmaErrors.ScheduleNotFound(Name);
            bool? enabled = Given(nameof(IsEnabled)) ? IsEnabled : null;
            if (!Given(nameof(Description)) && enabled is null)
                throw SmaErrors.NoScheduleChangeGiven(Name);
            if (ShouldProcess(nameOf(existing), $"Change schedule: {Change(enabled)}"))
                WriteObject(update(existing, Given(nameof(Description)), enabled));
            return;
        }

        var request = Request();
        if (existing is not null)
        {
            // SMA: on an existing schedule only the description changes; the same definition again is no change.
            checkUnchanged(existing, request);
            if (Given(nameof(Description)) && ShouldProcess(nameOf(existing), "Change schedule: set the description"))
                WriteObject(update(existing, true, null));
            else if (!Given(nameof(Description)))
                WriteObject(current(existing));
            return;
        }
        var definition = define(request);
        if (ShouldProcess(Name, $"Create schedule: {definition.Recurrence} from {definition.StartTime:u} ({definition.TimeZone})"))
            WriteObject(create(definition));
    }

    private string Change(bool? enabled) => string.Join(" and ", new[]
    {
        Given(nameof(Description)) ? "set the description" : null,
        enabled is { } on ? (on ? "enable it" : "disable it") : null,
    }.Where(w => w is not null));

    /// <summary>The schedule the parameters describe, unchecked (times as given).</summary>
    private ScheduleRequest Request() =>
        new()
        {
            Name = Name,
            Type = ParameterSetName switch
            {
                HourlySet => Engine.Model.ScheduleType.HourlySchedule,
                WeeklySet => Engine.Model.ScheduleType.WeeklySchedule,
                CronSet => Engine.Model.ScheduleType.CronSchedule,
                _ => Enum.Parse<Engine.Model.ScheduleType>(ScheduleType, ignoreCase: true),
            },
            StartTime = Given(nameof(StartTime)) ? StartTime : null,
            ExpiryTime = Given(nameof(ExpiryTime)) ? ExpiryTime : null,
            Interval = ParameterSetName switch
            {
                HourlySet => HourInterval,
                WeeklySet => WeekInterval,
                SmaSet => DayInterval,
                _ => null,
            },
            DaysOfWeek = DaysOfWeek,
            Cron = ParameterSetName == CronSet ? Cron : null,
            TimeZone = TimeZone,
        };
}
