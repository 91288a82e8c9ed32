namespace Sma.Engine.Model;

/// <summary>What became of one occurrence of a schedule for one linked runbook (Get-SmaScheduleHistory). Times are UTC.</summary>
public sealed class ScheduleOccurrence
{
    public string ScheduleName { get; init; } = "";
    public string RunbookName { get; init; } = "";

    /// <summary>When the occurrence was due (for a run of missed ones: the first).</summary>
    public DateTime OccurrenceTime { get; init; }

    public OccurrenceOutcome Outcome { get; init; }

    /// <summary>For missed occurrences: how many in this run, and the last of them.</summary>
    public long Count { get; init; } = 1;
    public DateTime? ThroughTime { get; init; }

    public Guid? JobId { get; init; }

    /// <summary>When a worker recorded it, and which.</summary>
    public DateTime RecordedTime { get; init; }
    public string? Worker { get; init; }
    public string? Details { get; init; }

    /// <summary>How late the job was created after the occurrence was due.</summary>
    public TimeSpan? Lateness => Outcome == OccurrenceOutcome.Started ? RecordedTime - OccurrenceTime : null;
}

/// <summary>What became of an occurrence.</summary>
public enum OccurrenceOutcome
{
    /// <summary>A job was created for it.</summary>
    Started,

    /// <summary>No worker ran from the occurrence until the grace period had passed, so it was not run late.</summary>
    Missed,

    /// <summary>A worker was there but could not create the job (the reason is in the details).</summary>
    Failed,
}
