using Sma.Engine.Model;

namespace Sma.Engine.Scheduling;

/// <summary>
/// When a schedule fires, as stored: its type, first occurrence and expiry (UTC), the interval (days, hours or weeks),
/// the days of a weekly schedule, the cron expression, and the time zone occurrences are computed in. Made and checked
/// by <see cref="Occurrences.Check"/>; immutable once the schedule exists (as in SMA).
/// </summary>
public sealed record ScheduleDefinition(
    ScheduleType Type,
    DateTime StartTime,
    DateTime? ExpiryTime,
    int? Interval,
    IReadOnlyList<DayOfWeek>? DaysOfWeek,
    string? Cron,
    string TimeZone)
{
    /// <summary>Weekly days as stored: names joined by commas, Monday first (e.g. "Monday,Friday").</summary>
    public string? DaysText => DaysOfWeek is { Count: > 0 } days
        ? string.Join(",", days.Distinct().OrderBy(d => ((int)d + 6) % 7))
        : null;

    /// <summary>How it repeats, in words: "once", "every 2 days", "every 3 hours", "every week on Monday,Friday", "cron 0 9 * * *".</summary>
    public string Recurrence => Type switch
    {
        ScheduleType.OneTimeSchedule => "once",
        ScheduleType.DailySchedule => Interval is null or 1 ? "every day" : $"every {Interval} days",
        ScheduleType.HourlySchedule => Interval is null or 1 ? "every hour" : $"every {Interval} hours",
        ScheduleType.WeeklySchedule => (Interval is null or 1 ? "every week" : $"every {Interval} weeks") + $" on {DaysText}",
        _ => $"cron {Cron}",
    };

    public static IReadOnlyList<DayOfWeek>? ParseDays(string? text) =>
        string.IsNullOrEmpty(text) ? null : text.Split(',').Select(Enum.Parse<DayOfWeek>).ToArray();
}
