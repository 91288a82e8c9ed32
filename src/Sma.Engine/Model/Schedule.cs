namespace Sma.Engine.Model;

/// <summary>
/// A schedule as Get-SmaSchedule shows it: SMA's properties (ScheduleID, Name, ScheduleType, StartTime, ExpiryTime,
/// NextRun, DayInterval, IsEnabled, Description, CreationTime, LastModifiedTime) plus what hourly, weekly and cron
/// schedules need. Times are UTC; occurrences are computed in <see cref="TimeZone"/>.
/// </summary>
public sealed class Schedule
{
    public Guid ScheduleID { get; init; }
    public string Name { get; init; } = "";
    public ScheduleType ScheduleType { get; init; }
    public string? Description { get; init; }

    /// <summary>The first occurrence (cron schedules: none before it).</summary>
    public DateTime StartTime { get; init; }

    /// <summary>No occurrence at or after this time; null for never.</summary>
    public DateTime? ExpiryTime { get; init; }

    /// <summary>The next occurrence from now; null when the schedule is disabled or has none left.</summary>
    public DateTime? NextRun { get; init; }

    /// <summary>Days, hours or weeks between occurrences (daily, hourly, weekly schedules); null otherwise.</summary>
    public int? Interval { get; init; }

    /// <summary>SMA's name for the interval of a DailySchedule.</summary>
    public int? DayInterval => ScheduleType == ScheduleType.DailySchedule ? Interval : null;

    /// <summary>How it repeats, in words (e.g. "every 2 days", "every week on Monday,Friday", "cron 0 9 * * *").</summary>
    public string Recurrence { get; init; } = "";

    /// <summary>The days a weekly schedule runs on.</summary>
    public DayOfWeek[]? DaysOfWeek { get; init; }

    /// <summary>The cron expression of a CronSchedule.</summary>
    public string? Cron { get; init; }

    /// <summary>The time zone occurrences are computed in (an IANA or Windows id), so 09:00 stays 09:00 local across DST.</summary>
    public string TimeZone { get; init; } = "";

    public bool IsEnabled { get; init; }

    /// <summary>True when no occurrence is left (a one-time schedule that has run, or one past its expiry).</summary>
    public bool IsExpired { get; init; }

    public DateTime CreationTime { get; init; }
    public DateTime LastModifiedTime { get; init; }

    public override string ToString() => Name;
}
