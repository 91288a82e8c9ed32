using System.Collections.Specialized;

namespace Sma.Engine.Model;

/// <summary>
/// A runbook linked to a schedule with parameter values (SMA's job schedule; Azure's JobSchedule): each occurrence of
/// the schedule starts one job of the runbook. Times are UTC.
/// </summary>
public sealed class ScheduledRunbook
{
    public Guid JobScheduleId { get; init; }
    public string RunbookName { get; init; } = "";
    public Guid RunbookId { get; init; }
    public string ScheduleName { get; init; } = "";
    public Guid ScheduleId { get; init; }

    /// <summary>The values each job gets; ordered, case-insensitive; secrets are shown masked.</summary>
    public OrderedDictionary Parameters { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The occurrence this link fires next; null when the schedule is disabled or has none left.</summary>
    public DateTime? NextRun { get; init; }

    /// <summary>The last occurrence that started a job, and that job.</summary>
    public DateTime? LastRun { get; init; }
    public Guid? LastJobId { get; init; }

    /// <summary>The last occurrence recorded as missed (no worker ran within the grace period), and how many were missed in all.</summary>
    public DateTime? LastMissed { get; init; }
    public long MissedCount { get; init; }

    public DateTime CreationTime { get; init; }

    public override string ToString() => $"{RunbookName} on {ScheduleName}";
}
