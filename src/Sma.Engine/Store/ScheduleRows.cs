using Sma.Engine.Model;
using Sma.Engine.Scheduling;

namespace Sma.Engine.Store;

// Dapper row shapes of the schedule tables (snake_case columns matched to PascalCase), converted right away.

internal sealed class ScheduleRow
{
    public string ScheduleId { get; set; } = "";
    public string Name { get; set; } = "";
    public string ScheduleType { get; set; } = "";
    public long StartTime { get; set; }
    public long? ExpiryTime { get; set; }
    public long? Interval { get; set; }
    public string? DaysOfWeek { get; set; }
    public string? Cron { get; set; }
    public string TimeZone { get; set; } = "";
    public string? Description { get; set; }
    public long IsEnabled { get; set; }
    public long CreationTime { get; set; }
    public long LastModifiedTime { get; set; }

    public ScheduleRecord ToRecord() => new(
        Guid.Parse(ScheduleId),
        Name,
        new ScheduleDefinition(
            Enum.Parse<Model.ScheduleType>(ScheduleType),
            SqliteStore.Utc(StartTime),
            SqliteStore.Utc(ExpiryTime),
            Interval is { } i ? (int)i : null,
            ScheduleDefinition.ParseDays(DaysOfWeek),
            Cron,
            TimeZone),
        Description,
        IsEnabled != 0,
        SqliteStore.Utc(CreationTime),
        SqliteStore.Utc(LastModifiedTime));
}

internal sealed class LinkRow
{
    public string LinkId { get; set; } = "";
    public string ScheduleId { get; set; } = "";
    public string ScheduleName { get; set; } = "";
    public string RunbookId { get; set; } = "";
    public string RunbookName { get; set; } = "";
    public string? WorkingDirectory { get; set; }
    public long? NextRun { get; set; }
    public long? LastRun { get; set; }
    public string? LastJobId { get; set; }
    public long? LastMissed { get; set; }
    public long MissedCount { get; set; }
    public long CreationTime { get; set; }

    public ScheduleLinkRecord ToRecord(IReadOnlyList<StoredParameter> parameters) => new(
        Guid.Parse(LinkId),
        Guid.Parse(ScheduleId),
        ScheduleName,
        Guid.Parse(RunbookId),
        RunbookName,
        parameters,
        WorkingDirectory,
        SqliteStore.Utc(NextRun),
        SqliteStore.Utc(LastRun),
        LastJobId is null ? null : Guid.Parse(LastJobId),
        SqliteStore.Utc(LastMissed),
        MissedCount,
        SqliteStore.Utc(CreationTime));
}

internal sealed class OccurrenceRow
{
    public string ScheduleName { get; set; } = "";
    public string RunbookName { get; set; } = "";
    public long OccurrenceTime { get; set; }
    public string Outcome { get; set; } = "";
    public long? ThroughTime { get; set; }
    public long OccurrenceCount { get; set; }
    public string? JobId { get; set; }
    public long RecordedTime { get; set; }
    public string? Worker { get; set; }
    public string? Details { get; set; }

    public ScheduleOccurrence ToModel() => new()
    {
        ScheduleName = ScheduleName,
        RunbookName = RunbookName,
        OccurrenceTime = SqliteStore.Utc(OccurrenceTime),
        Outcome = Enum.Parse<OccurrenceOutcome>(Outcome),
        Count = OccurrenceCount,
        ThroughTime = SqliteStore.Utc(ThroughTime),
        JobId = JobId is null ? null : Guid.Parse(JobId),
        RecordedTime = SqliteStore.Utc(RecordedTime),
        Worker = Worker,
        Details = Details,
    };
}
