using Sma.Engine.Model;

namespace Sma.Engine.Scheduling;

/// <summary>
/// A schedule as a user describes it to Set-SmaSchedule: times as given (UTC, the caller's local time, or a wall-clock
/// time in <see cref="TimeZone"/>; see <see cref="ZoneTime.Resolve"/>), unchecked. <see cref="Define"/> checks it.
/// </summary>
public sealed record ScheduleRequest
{
    public required string Name { get; init; }
    public ScheduleType Type { get; init; }
    public DateTime? StartTime { get; init; }
    public DateTime? ExpiryTime { get; init; }

    /// <summary>Days (daily), hours (hourly) or weeks (weekly) between occurrences; 1 when not given.</summary>
    public int? Interval { get; init; }

    public IReadOnlyList<DayOfWeek>? DaysOfWeek { get; init; }
    public string? Cron { get; init; }

    /// <summary>An IANA or Windows time zone id; null for the caller's own zone.</summary>
    public string? TimeZone { get; init; }

    /// <summary>
    /// The checked definition at <paramref name="now"/>: a known time zone, a valid cron expression, an interval of 1 or
    /// more, an expiry after the start, and a one-time schedule not in the past. <paramref name="defaultZone"/> and
    /// <paramref name="defaultStart"/> stand in for a zone and (cron) start time that were not given; for an
    /// <paramref name="existing"/> schedule a start in the past is not refused.
    /// </summary>
    public ScheduleDefinition Define(DateTime now, string? defaultZone = null, DateTime? defaultStart = null, bool existing = false)
    {
        CheckName(Name);
        var zoneId = TimeZone?.Trim() is { Length: > 0 } given ? given : defaultZone ?? ZoneTime.LocalId;
        var zone = ZoneTime.Find(zoneId);
        if (Type == ScheduleType.CronSchedule)
            Occurrences.ParseCron(Cron ?? "", Name);
        var start = StartTime is { } s ? ZoneTime.Resolve(s, zone)
            : Type == ScheduleType.CronSchedule ? defaultStart ?? now
            : throw SmaErrors.ScheduleStartTimeRequired(Name);
        var expiry = ExpiryTime is { } e ? ZoneTime.Resolve(e, zone) : (DateTime?)null;
        if (expiry is { } x && x <= start)
            throw SmaErrors.ScheduleExpiryBeforeStart(Name, start, x);
        if (Type == ScheduleType.OneTimeSchedule && start < now && !existing)
            throw SmaErrors.ScheduleStartInPast(Name, start, now);
        int? interval = null;
        if (Type is ScheduleType.DailySchedule or ScheduleType.HourlySchedule or ScheduleType.WeeklySchedule)
        {
            interval = Interval ?? 1;
            if (interval < 1)
                throw SmaErrors.InvalidScheduleInterval(Name, Type switch
                {
                    ScheduleType.DailySchedule => "DayInterval",
                    ScheduleType.HourlySchedule => "HourInterval",
                    _ => "WeekInterval",
                }, interval.Value);
        }
        IReadOnlyList<DayOfWeek>? days = null;
        if (Type == ScheduleType.WeeklySchedule)
            days = DaysOfWeek is { Count: > 0 } d ? d.Distinct().ToArray() : new[] { TimeZoneInfo.ConvertTimeFromUtc(start, zone).DayOfWeek };
        return new ScheduleDefinition(Type, start, expiry, interval, days,
            Type == ScheduleType.CronSchedule ? Cron!.Trim() : null, zoneId);
    }

    /// <summary>Any text a user can type back: no control characters, no wildcards (Get-SmaSchedule -Name takes patterns).</summary>
    public static void CheckName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 128 || name.Any(char.IsControl) || name.IndexOfAny(new[] { '*', '?', '[', ']' }) >= 0
            || name != name.Trim())
            throw SmaErrors.InvalidScheduleName(name);
    }

    /// <summary>The first property in which <paramref name="given"/> differs from <paramref name="stored"/>, for the refusal.</summary>
    public static string? FirstDifference(ScheduleDefinition stored, ScheduleDefinition given)
    {
        if (stored.Type != given.Type) return $"type ({stored.Type}, not {given.Type})";
        if (stored.StartTime != given.StartTime) return $"start time ({stored.StartTime:u}, not {given.StartTime:u})";
        if (stored.ExpiryTime != given.ExpiryTime) return $"expiry time ({stored.ExpiryTime?.ToString("u") ?? "none"}, not {given.ExpiryTime?.ToString("u") ?? "none"})";
        if (stored.Interval != given.Interval) return $"interval ({stored.Interval}, not {given.Interval})";
        if (stored.DaysText != given.DaysText) return $"days of the week ({stored.DaysText}, not {given.DaysText})";
        if (!string.Equals(stored.Cron, given.Cron, StringComparison.Ordinal)) return $"cron expression ('{stored.Cron}', not '{given.Cron}')";
        if (!string.Equals(stored.TimeZone, given.TimeZone, StringComparison.OrdinalIgnoreCase)) return $"time zone ({stored.TimeZone}, not {given.TimeZone})";
        return null;
    }
}
