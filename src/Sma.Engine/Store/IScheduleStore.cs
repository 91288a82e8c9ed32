using Sma.Engine.Model;

namespace Sma.Engine.Store;

/// <summary>
/// What schedules persist: schedules, their links to runbooks (with parameter values), each link's next run, and one
/// row per link and occurrence (the claim that makes an occurrence start exactly one job, then its history). Primitives
/// only: the engine computes next runs and decides what is due, missed or fired; the store compares and sets.
/// </summary>
public interface IScheduleStore
{
    // Schedules
    ScheduleRecord? FindSchedule(string name);
    IReadOnlyList<ScheduleRecord> ListSchedules();

    /// <summary>Creates a schedule; ScheduleAlreadyExists when the name is taken (any case).</summary>
    ScheduleRecord CreateSchedule(NewSchedule schedule);

    /// <summary>Changes the description and whether it is enabled, setting every link's next run as given, in one transaction.</summary>
    ScheduleRecord UpdateSchedule(Guid scheduleId, ScheduleChanges changes);

    /// <summary>Deletes a schedule with its links, their parameters and history; false when it no longer exists.</summary>
    bool RemoveSchedule(Guid scheduleId);

    // Links

    /// <summary>Links a runbook to a schedule; RunbookAlreadyScheduled when that link exists.</summary>
    ScheduleLinkRecord CreateLink(NewScheduleLink link);

    /// <summary>Links, by runbook name then schedule name; null filters match every link.</summary>
    IReadOnlyList<ScheduleLinkRecord> ListLinks(Guid? runbookId, Guid? scheduleId);

    /// <summary>Deletes a link with its parameters and history; false when it no longer exists.</summary>
    bool RemoveLink(Guid linkId);

    // Firing

    /// <summary>The earliest next run of any link (one indexed read), or null when none is pending.</summary>
    DateTime? EarliestNextRun();

    /// <summary>Links whose next run is at or before <paramref name="now"/>, earliest first, with their schedule.</summary>
    IReadOnlyList<DueLink> DueLinks(DateTime now, int max);

    /// <summary>
    /// Claims the occurrence and creates its job in one transaction: when the link's next run is still
    /// <see cref="OccurrenceClaim.OccurrenceTime"/> and no claim for it exists, inserts the claim row and the job, and
    /// moves the link on to <see cref="OccurrenceClaim.NextRun"/>. Returns null (writing nothing) when another worker
    /// got there first or the link changed; when the occurrence was claimed before but the link is still on it, the
    /// link only moves on.
    /// </summary>
    Job? CreateScheduledJob(NewJob job, OccurrenceClaim claim);

    /// <summary>
    /// Records occurrences that start no job (missed, or failed) as one history row and moves the link on, when its
    /// next run is still the expected one; false otherwise (writing nothing, or only moving the link on when the
    /// first of them was recorded before).
    /// </summary>
    bool RecordSkipped(SkippedOccurrences skipped);

    /// <summary>Occurrence history, newest first.</summary>
    IReadOnlyList<ScheduleOccurrence> ReadOccurrences(Guid? scheduleId, Guid? runbookId, int max);

    /// <summary>Deletes up to <paramref name="max"/> history rows recorded before <paramref name="cutoff"/>; returns how many.</summary>
    int PurgeOccurrences(DateTime cutoff, int max);
}
