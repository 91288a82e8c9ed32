using Cronos;
using Sma.Engine.Model;

namespace Sma.Engine.Scheduling;

/// <summary>
/// A schedule's occurrences, computed in its time zone: daily and weekly schedules keep their wall-clock time across
/// DST (09:00 stays 09:00 local), hourly ones count elapsed hours, cron expressions go to Cronos. Every occurrence is
/// at or after the start time and before the expiry time. The engine decides next runs here; the store only keeps them.
/// </summary>
public sealed class Occurrences
{
    private readonly TimeZoneInfo _zone;
    private readonly CronExpression? _cron;
    private readonly DateTime _startLocal;

    private Occurrences(ScheduleDefinition definition, TimeZoneInfo zone, CronExpression? cron)
    {
        Definition = definition;
        _zone = zone;
        _cron = cron;
        _startLocal = TimeZoneInfo.ConvertTimeFromUtc(definition.StartTime, zone);
    }

    public ScheduleDefinition Definition { get; }

    /// <summary>The occurrences of a stored (already checked) definition.</summary>
    public static Occurrences Of(ScheduleDefinition definition, string scheduleName) =>
        new(definition, ZoneTime.Find(definition.TimeZone), definition.Cron is { } cron ? ParseCron(cron, scheduleName) : null);

    /// <summary>
    /// Parses a cron expression with Cronos: five fields (minute hour day month weekday), or six with seconds first,
    /// or a macro such as @daily. 'H' (jitter) picks the same value on every worker: its seed is the schedule's name.
    /// </summary>
    public static CronExpression ParseCron(string expression, string scheduleName)
    {
        var fields = expression.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        var format = fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
        try
        {
            return CronExpression.Parse(expression.Trim(), format, StableSeed(scheduleName));
        }
        catch (CronFormatException e)
        {
            throw SmaErrors.InvalidCronExpression(expression, e.Message);
        }
    }

    /// <summary>The first occurrence after <paramref name="fromUtc"/> (or at it, when <paramref name="inclusive"/>); null when none is left.</summary>
    public DateTime? Next(DateTime fromUtc, bool inclusive)
    {
        fromUtc = DateTime.SpecifyKind(fromUtc, DateTimeKind.Utc);
        DateTime? next;
        try
        {
            next = Definition.Type switch
            {
                ScheduleType.OneTimeSchedule => IsAfter(Definition.StartTime, fromUtc, inclusive) ? Definition.StartTime : null,
                ScheduleType.HourlySchedule => NextHourly(fromUtc, inclusive),
                ScheduleType.DailySchedule => NextDaily(fromUtc, inclusive),
                ScheduleType.WeeklySchedule => NextWeekly(fromUtc, inclusive),
                ScheduleType.CronSchedule => NextCron(fromUtc, inclusive),
                _ => throw new InvalidOperationException($"Unknown schedule type {Definition.Type}."),
            };
        }
        catch (ArgumentOutOfRangeException)
        {
            next = null; // beyond the last date DateTime can hold
        }
        return next is { } n && (Definition.ExpiryTime is not { } expiry || n < expiry) ? n : null;
    }

    private static bool IsAfter(DateTime candidate, DateTime from, bool inclusive) => inclusive ? candidate >= from : candidate > from;

    private int Interval => Math.Max(1, Definition.Interval ?? 1);

    /// <summary>Every N hours of elapsed time from the start (DST does not stretch or shrink an hour).</summary>
    private DateTime NextHourly(DateTime from, bool inclusive)
    {
        var step = TimeSpan.FromHours(Interval).Ticks;
        var start = Definition.StartTime;
        if (IsAfter(start, from, inclusive))
            return start;
        var k = (from.Ticks - start.Ticks) / step;
        var candidate = new DateTime(start.Ticks + k * step, DateTimeKind.Utc);
        while (!IsAfter(candidate, from, inclusive))
            candidate = candidate.AddTicks(step);
        return candidate;
    }

    /// <summary>Every N days from the start date, at the start's wall-clock time in the zone.</summary>
    private DateTime? NextDaily(DateTime from, bool inclusive)
    {
        var fromLocal = TimeZoneInfo.ConvertTimeFromUtc(from, _zone);
        var days = (fromLocal.Date - _startLocal.Date).Days;
        // A DST shift moves a candidate by at most a few hours, so start one interval early and walk forward.
        for (var k = Math.Max(0, days / Interval - 1); ; k++)
        {
            var candidate = ZoneTime.ToUtc(_startLocal.Date.AddDays((double)k * Interval) + _startLocal.TimeOfDay, _zone);
            if (candidate >= Definition.StartTime && IsAfter(candidate, from, inclusive))
                return candidate;
        }
    }

    /// <summary>
    /// On the given days of every Nth week (weeks start on Monday; week 0 holds the start), at the start's wall-clock
    /// time in the zone.
    /// </summary>
    private DateTime? NextWeekly(DateTime from, bool inclusive)
    {
        var days = Definition.DaysOfWeek is { Count: > 0 } given ? given : new[] { _startLocal.DayOfWeek };
        var weekZero = _startLocal.Date.AddDays(-(((int)_startLocal.DayOfWeek + 6) % 7));
        var fromLocal = TimeZoneInfo.ConvertTimeFromUtc(from, _zone);
        var day = fromLocal.Date.AddDays(-1) > _startLocal.Date ? fromLocal.Date.AddDays(-1) : _startLocal.Date;
        for (var i = 0; i <= 7 * Interval + 7; i++, day = day.AddDays(1))
        {
            if ((day - weekZero).Days / 7 % Interval != 0 || !days.Contains(day.DayOfWeek))
                continue;
            var candidate = ZoneTime.ToUtc(day + _startLocal.TimeOfDay, _zone);
            if (candidate >= Definition.StartTime && IsAfter(candidate, from, inclusive))
                return candidate;
        }
        return null;
    }

    private DateTime? NextCron(DateTime from, bool inclusive)
    {
        if (from < Definition.StartTime)
            (from, inclusive) = (Definition.StartTime, true);
        return _cron!.GetNextOccurrence(from, _zone, inclusive);
    }

    /// <summary>The same number on every machine and run (string.GetHashCode is randomised per process).</summary>
    private static int StableSeed(string text)
    {
        var hash = 2166136261u;
        foreach (var ch in text.ToUpperInvariant())
            hash = (hash ^ ch) * 16777619u;
        return (int)(hash & 0x7FFFFFFF);
    }
}
