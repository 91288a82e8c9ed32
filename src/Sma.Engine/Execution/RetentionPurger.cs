using System.Collections.Concurrent;
using Sma.Engine.Services;
using Sma.Engine.Store;

namespace Sma.Engine.Execution;

/// <summary>
/// Retention (DESIGN §4.10): ended jobs (Completed, Failed, Stopped) whose last change is older than the store's
/// PurgeJobsOlderThanCountDays are deleted with everything they recorded, and so are the oldest ended jobs beyond
/// MaxJobRecords when that is set. Workers call <see cref="RunIfDue"/> from
/// their heartbeat; a purge runs at most once an hour per store in a process, in the background, in small batches
/// (one short transaction each) so running jobs are never held up for long.
/// </summary>
public static class RetentionPurger
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);
    internal const int BatchSize = 200;

    private static readonly ConcurrentDictionary<string, DateTime> NextRun = new(StringComparer.Ordinal);

    /// <summary>Starts a purge of <paramref name="store"/> in the background when none ran in this process within the hour.</summary>
    public static void RunIfDue(IJobStore store)
    {
        var now = DateTime.UtcNow;
        if (!TryClaim(store.Description, now))
            return;
        Task.Run(() =>
        {
            try
            {
                Purge(store, now);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The store may be closing (process exit) or unavailable for a moment: the next run tries again.
            }
        });
    }

    /// <summary>True, and the next run booked one <see cref="Interval"/> later, when a purge of this store is due at <paramref name="now"/>.</summary>
    internal static bool TryClaim(string location, DateTime now)
    {
        while (true)
        {
            if (!NextRun.TryGetValue(location, out var next))
            {
                if (NextRun.TryAdd(location, now + Interval))
                    return true;
            }
            else if (now < next)
            {
                return false;
            }
            else if (NextRun.TryUpdate(location, now + Interval, next))
            {
                return true;
            }
        }
    }

    /// <summary>
    /// Deletes, batch by batch, every ended job older than the retention period at <paramref name="now"/>, then, while
    /// the store holds more jobs than MaxJobRecords, the oldest ended ones; returns how many.
    /// </summary>
    public static int Purge(IJobStore store, DateTime now)
    {
        var cutoff = now.ToUniversalTime() - TimeSpan.FromDays(AdminConfigurationService.PurgeDays(store));
        var total = 0;
        int deleted;
        do
        {
            deleted = store.PurgeFinalJobs(cutoff, BatchSize);
            total += deleted;
        } while (deleted == BatchSize);

        var limit = AdminConfigurationService.MaxJobRecords(store);
        if (limit == AdminConfigurationService.NoJobLimit)
            return total;
        // Counted once: jobs started meanwhile are left for the next run rather than counted again per batch.
        var excess = store.CountJobs() - limit;
        while (excess > 0)
        {
            deleted = store.PurgeFinalJobs(null, (int)Math.Min(excess, BatchSize));
            if (deleted == 0)
                break; // the rest have not ended
            total += deleted;
            excess -= deleted;
        }
        return total;
    }
}
