using System.Globalization;
using Sma.Engine.Model;
using Sma.Engine.Scheduling;
using Xunit;

namespace Sma.Engine.Tests;

/// <summary>
/// The engine's next-run computation: wall-clock schedules keep their local time across DST (spring forward and fall
/// back, in Europe/Berlin and America/New_York), skipped times run when the clocks jump, repeated times run once.
/// </summary>
public class OccurrencesTests
{
    private const string Berlin = "Europe/Berlin";
    private const string NewYork = "America/New_York";

    private static DateTime Utc(string text) =>
        DateTime.SpecifyKind(DateTime.Parse(text, CultureInfo.InvariantCulture), DateTimeKind.Utc);

    private static DateTime Wall(string text) => DateTime.Parse(text, CultureInfo.InvariantCulture);

    private static Occurrences Of(ScheduleType type, string zone, string startLocal, int? interval = 1, string? cron = null,
        DayOfWeek[]? days = null, DateTime? expiry = null) =>
        Occurrences.Of(new ScheduleDefinition(type, ZoneTime.ToUtc(Wall(startLocal), ZoneTime.Find(zone)), expiry,
            type is ScheduleType.OneTimeSchedule or ScheduleType.CronSchedule ? null : interval, days, cron, zone), "test");

    private static List<DateTime> Take(Occurrences occurrences, DateTime from, int count)
    {
        var list = new List<DateTime>();
        DateTime? next = occurrences.Next(from, inclusive: true);
        while (next is { } n && list.Count < count)
        {
            list.Add(n);
            next = occurrences.Next(n, inclusive: false);
        }
        return list;
    }

    private static void AssertTimes(IEnumerable<DateTime> actual, params string[] expectedUtc) =>
        Assert.Equal(expectedUtc.Select(Utc).ToList(), actual.ToList());

    [Fact]
    public void A_daily_0900_schedule_in_Berlin_stays_0900_local_across_spring_forward()
    {
        var daily = Of(ScheduleType.DailySchedule, Berlin, "2025-03-28 09:00");
        var runs = Take(daily, Utc("2025-03-28 00:00"), 4);
        AssertTimes(runs, "2025-03-28 08:00", "2025-03-29 08:00", "2025-03-30 07:00", "2025-03-31 07:00");
        Assert.All(runs, r => Assert.Equal(new TimeSpan(9, 0, 0), TimeZoneInfo.ConvertTimeFromUtc(r, ZoneTime.Find(Berlin)).TimeOfDay));
    }

    [Fact]
    public void A_daily_0900_schedule_in_Berlin_stays_0900_local_across_fall_back()
    {
        var daily = Of(ScheduleType.DailySchedule, Berlin, "2025-10-24 09:00");
        AssertTimes(Take(daily, Utc("2025-10-24 00:00"), 4), "2025-10-24 07:00", "2025-10-25 07:00", "2025-10-26 08:00", "2025-10-27 08:00");
    }

    [Fact]
    public void A_daily_0900_schedule_in_New_York_stays_0900_local_across_both_changes()
    {
        var spring = Of(ScheduleType.DailySchedule, NewYork, "2025-03-07 09:00");
        AssertTimes(Take(spring, Utc("2025-03-07 00:00"), 4), "2025-03-07 14:00", "2025-03-08 14:00", "2025-03-09 13:00", "2025-03-10 13:00");
        var fall = Of(ScheduleType.DailySchedule, NewYork, "2025-10-31 09:00");
        AssertTimes(Take(fall, Utc("2025-10-31 00:00"), 4), "2025-10-31 13:00", "2025-11-01 13:00", "2025-11-02 14:00", "2025-11-03 14:00");
    }

    [Fact]
    public void A_time_the_clocks_skip_runs_when_they_jump_forward()
    {
        // 02:30 does not exist in Berlin on 30 March 2025 (02:00 -> 03:00 CEST) nor in New York on 9 March (02:00 -> 03:00 EDT).
        AssertTimes(Take(Of(ScheduleType.DailySchedule, Berlin, "2025-03-29 02:30"), Utc("2025-03-29 00:00"), 3),
            "2025-03-29 01:30", "2025-03-30 01:00", "2025-03-31 00:30");
        AssertTimes(Take(Of(ScheduleType.DailySchedule, NewYork, "2025-03-08 02:30"), Utc("2025-03-08 00:00"), 3),
            "2025-03-08 07:30", "2025-03-09 07:00", "2025-03-10 06:30");
    }

    [Fact]
    public void A_time_that_happens_twice_when_the_clocks_go_back_runs_once_the_first_time()
    {
        // 02:30 happens twice in Berlin on 26 October 2025 (03:00 CEST -> 02:00 CET); 01:30 twice in New York on 2 November.
        AssertTimes(Take(Of(ScheduleType.DailySchedule, Berlin, "2025-10-25 02:30"), Utc("2025-10-25 00:00"), 3),
            "2025-10-25 00:30", "2025-10-26 00:30", "2025-10-27 01:30");
        AssertTimes(Take(Of(ScheduleType.DailySchedule, NewYork, "2025-11-01 01:30"), Utc("2025-11-01 00:00"), 3),
            "2025-11-01 05:30", "2025-11-02 05:30", "2025-11-03 06:30");
    }

    [Fact]
    public void Cron_expressions_keep_local_time_across_DST_through_Cronos()
    {
        var berlin = Of(ScheduleType.CronSchedule, Berlin, "2025-03-01 00:00", cron: "0 9 * * *");
        AssertTimes(Take(berlin, Utc("2025-03-29 00:00"), 3), "2025-03-29 08:00", "2025-03-30 07:00", "2025-03-31 07:00");
        AssertTimes(Take(berlin, Utc("2025-10-25 00:00"), 3), "2025-10-25 07:00", "2025-10-26 08:00", "2025-10-27 08:00");
        var newYork = Of(ScheduleType.CronSchedule, NewYork, "2025-03-01 00:00", cron: "0 9 * * *");
        AssertTimes(Take(newYork, Utc("2025-03-08 00:00"), 3), "2025-03-08 14:00", "2025-03-09 13:00", "2025-03-10 13:00");
        AssertTimes(Take(newYork, Utc("2025-11-01 00:00"), 3), "2025-11-01 13:00", "2025-11-02 14:00", "2025-11-03 14:00");
        // Skipped and repeated times: as daily schedules (the same rule, Cronos's).
        var early = Of(ScheduleType.CronSchedule, Berlin, "2025-03-01 00:00", cron: "30 2 * * *");
        AssertTimes(Take(early, Utc("2025-03-29 00:00"), 3), "2025-03-29 01:30", "2025-03-30 01:00", "2025-03-31 00:30");
        AssertTimes(Take(early, Utc("2025-10-25 00:00"), 3), "2025-10-25 00:30", "2025-10-26 00:30", "2025-10-27 01:30");
    }

    [Fact]
    public void A_Windows_time_zone_id_gives_the_same_occurrences_as_the_IANA_one()
    {
        var iana = Of(ScheduleType.DailySchedule, Berlin, "2025-03-28 09:00");
        var windows = Of(ScheduleType.DailySchedule, "W. Europe Standard Time", "2025-03-28 09:00");
        Assert.Equal(Take(iana, Utc("2025-03-28 00:00"), 5), Take(windows, Utc("2025-03-28 00:00"), 5));
    }

    [Fact]
    public void Hourly_schedules_count_elapsed_hours_across_DST()
    {
        var hourly = Of(ScheduleType.HourlySchedule, Berlin, "2025-03-30 00:00", interval: 1);
        var runs = Take(hourly, Utc("2025-03-29 00:00"), 6);
        AssertTimes(runs, "2025-03-29 23:00", "2025-03-30 00:00", "2025-03-30 01:00", "2025-03-30 02:00", "2025-03-30 03:00", "2025-03-30 04:00");
        var every5 = Of(ScheduleType.HourlySchedule, "UTC", "2025-01-06 08:30", interval: 5);
        // 08:30, 13:30, 18:30, 23:30, then 04:30 and 09:30 the next day.
        Assert.Equal(Utc("2025-01-07 09:30"), every5.Next(Utc("2025-01-07 05:00"), inclusive: true));
        Assert.Equal(Utc("2025-01-07 09:30"), every5.Next(Utc("2025-01-07 09:30"), inclusive: true));
        Assert.Equal(Utc("2025-01-07 14:30"), every5.Next(Utc("2025-01-07 09:30"), inclusive: false));
    }

    [Fact]
    public void Daily_schedules_skip_days_by_their_interval()
    {
        var every3 = Of(ScheduleType.DailySchedule, "UTC", "2025-01-01 09:00", interval: 3);
        AssertTimes(Take(every3, Utc("2025-01-05 00:00"), 3), "2025-01-07 09:00", "2025-01-10 09:00", "2025-01-13 09:00");
    }

    [Fact]
    public void Weekly_schedules_run_on_their_days_of_every_nth_week_at_local_time()
    {
        var fortnightly = Of(ScheduleType.WeeklySchedule, "UTC", "2025-01-06 08:30", interval: 2, days: new[] { DayOfWeek.Monday, DayOfWeek.Friday });
        AssertTimes(Take(fortnightly, Utc("2025-01-01 00:00"), 5),
            "2025-01-06 08:30", "2025-01-10 08:30", "2025-01-20 08:30", "2025-01-24 08:30", "2025-02-03 08:30");
        var mondays = Of(ScheduleType.WeeklySchedule, NewYork, "2025-03-03 09:00", interval: 1, days: new[] { DayOfWeek.Monday });
        AssertTimes(Take(mondays, Utc("2025-03-01 00:00"), 2), "2025-03-03 14:00", "2025-03-10 13:00");
    }

    [Fact]
    public void No_occurrence_at_or_after_the_expiry_time()
    {
        var daily = Of(ScheduleType.DailySchedule, "UTC", "2025-01-01 09:00", expiry: Utc("2025-01-03 09:00"));
        AssertTimes(Take(daily, Utc("2024-12-31 00:00"), 10), "2025-01-01 09:00", "2025-01-02 09:00");
    }

    [Fact]
    public void A_one_time_schedule_has_one_occurrence()
    {
        var once = Of(ScheduleType.OneTimeSchedule, "UTC", "2025-06-01 12:00");
        Assert.Equal(Utc("2025-06-01 12:00"), once.Next(Utc("2025-01-01 00:00"), inclusive: false));
        Assert.Equal(Utc("2025-06-01 12:00"), once.Next(Utc("2025-06-01 12:00"), inclusive: true));
        Assert.Null(once.Next(Utc("2025-06-01 12:00"), inclusive: false));
    }

    [Fact]
    public void Given_times_are_UTC_local_or_wall_clock_in_the_schedules_zone_by_their_kind()
    {
        var berlin = ZoneTime.Find(Berlin);
        Assert.Equal(Utc("2030-07-01 07:00"), ZoneTime.Resolve(Wall("2030-07-01 09:00"), berlin));
        Assert.Equal(Utc("2030-07-01 09:00"), ZoneTime.Resolve(Utc("2030-07-01 09:00"), berlin));
        var local = new DateTime(2030, 7, 1, 9, 0, 0, DateTimeKind.Local);
        Assert.Equal(local.ToUniversalTime(), ZoneTime.Resolve(local, berlin));
    }

    [Theory]
    [InlineData(ScheduleType.OneTimeSchedule, null, null, -1, null, "ScheduleStartInPast")]
    [InlineData(ScheduleType.DailySchedule, null, null, 10, -5, "ScheduleExpiryBeforeStart")]
    [InlineData(ScheduleType.DailySchedule, null, null, 10, 0, "ScheduleExpiryBeforeStart")]
    [InlineData(ScheduleType.CronSchedule, "61 * * * *", null, 10, null, "InvalidCronExpression")]
    [InlineData(ScheduleType.CronSchedule, "every day", null, 10, null, "InvalidCronExpression")]
    [InlineData(ScheduleType.DailySchedule, null, "Mars/Olympus_Mons", 10, null, "UnknownTimeZone")]
    public void Bad_definitions_are_refused(ScheduleType type, string? cron, string? zone, int startMinutes, int? expiryMinutes, string errorId)
    {
        var now = DateTime.UtcNow;
        var request = new ScheduleRequest
        {
            Name = "bad",
            Type = type,
            StartTime = now.AddMinutes(startMinutes),
            ExpiryTime = expiryMinutes is { } e ? now.AddMinutes(startMinutes + e) : null,
            Cron = cron,
            TimeZone = zone,
        };
        Assert.Equal(errorId, Assert.Throws<SmaException>(() => request.Define(now)).ErrorId);
    }

    [Fact]
    public void An_interval_below_1_and_a_name_with_wildcards_are_refused()
    {
        var now = DateTime.UtcNow;
        Assert.Equal("InvalidScheduleInterval", Assert.Throws<SmaException>(() =>
            new ScheduleRequest { Name = "x", Type = ScheduleType.DailySchedule, StartTime = now, Interval = 0 }.Define(now)).ErrorId);
        Assert.Equal("InvalidScheduleName", Assert.Throws<SmaException>(() =>
            new ScheduleRequest { Name = "Nightly*", Type = ScheduleType.DailySchedule, StartTime = now }.Define(now)).ErrorId);
    }
}
