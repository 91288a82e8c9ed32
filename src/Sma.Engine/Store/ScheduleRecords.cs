using Sma.Engine.Model;
using Sma.Engine.Scheduling;

namespace Sma.Engine.Store;

/// <summary>A schedule as stored.</summary>
public sealed record ScheduleRecord(
    Guid ScheduleId,
    string Name,
    ScheduleDefinition Definition,
    string? Description,
    bool IsEnabled,
    DateTime CreationTime,
    DateTime LastModifiedTime);

/// <summary>What a new schedule is created with.</summary>
public sealed record NewSchedule(string Name, ScheduleDefinition Definition, string? Description);

/// <summary>Changes to an existing schedule; a null member leaves that setting as it is.</summary>
public sealed record ScheduleChanges
{
    /// <summary>Set <see cref="SetDescription"/> to change the description (null then clears it).</summary>
    public string? Description { get; init; }
    public bool SetDescription { get; init; }

    public bool? IsEnabled { get; init; }

    /// <summary>Set <see cref="SetLinksNextRun"/> to give every link of the schedule this next run (null: none pending).</summary>
    public DateTime? LinksNextRun { get; init; }
    public bool SetLinksNextRun { get; init; }
}

/// <summary>A runbook linked to a schedule with checked, encoded parameter values.</summary>
public sealed record NewScheduleLink(
    Guid ScheduleId,
    Guid RunbookId,
    IReadOnlyList<StoredParameter> Parameters,
    string? WorkingDirectory,
    DateTime? NextRun);

/// <summary>A link as stored, with the names of its runbook and schedule.</summary>
public sealed record ScheduleLinkRecord(
    Guid LinkId,
    Guid ScheduleId,
    string ScheduleName,
    Guid RunbookId,
    string RunbookName,
    IReadOnlyList<StoredParameter> Parameters,
    string? WorkingDirectory,
    DateTime? NextRun,
    DateTime? LastRun,
    Guid? LastJobId,
    DateTime? LastMissed,
    long MissedCount,
    DateTime CreationTime);

/// <summary>A link whose next run is due, with its schedule.</summary>
public sealed record DueLink(ScheduleLinkRecord Link, ScheduleRecord Schedule);

/// <summary>A worker's claim on one occurrence of one link, and where the link goes next.</summary>
public sealed record OccurrenceClaim(Guid LinkId, DateTime OccurrenceTime, DateTime? NextRun, string Worker);

/// <summary>Occurrences that start no job, recorded as one history row (<see cref="First"/> to <see cref="Last"/>).</summary>
public sealed record SkippedOccurrences(
    Guid LinkId,
    DateTime ExpectedNextRun,
    DateTime? NextRun,
    OccurrenceOutcome Outcome,
    DateTime First,
    DateTime Last,
    long Count,
    string Worker,
    string Details);
