namespace Sma.Engine.Model;

/// <summary>
/// How a schedule repeats. The first two are SMA's own (Set-SmaSchedule -ScheduleType); hourly and weekly are Azure
/// Automation's (-HourInterval, -WeekInterval with -DaysOfWeek); cron is for cron users (-Cron, via Cronos).
/// </summary>
public enum ScheduleType
{
    OneTimeSchedule,
    DailySchedule,
    HourlySchedule,
    WeeklySchedule,
    CronSchedule,
}
