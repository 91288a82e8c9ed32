using Sma.Engine.Model;
using Sma.Engine.States;

namespace Sma.Engine.Store;

/// <summary>Dashboard counters, store-wide settings, retention, and a description of the store for messages.</summary>
public interface IMaintenanceStore
{
    /// <summary>Where the store is, for messages (a file path, or a server and database without credentials).</summary>
    string Description { get; }

    /// <summary>Counts what the store holds and checks what its backend can check.</summary>
    StoreReport Inspect();

    /// <summary>
    /// Counts status-history rows by time slice and status entered: slice k is
    /// [<paramref name="start"/> + k·<paramref name="slice"/>, + <paramref name="slice"/>), for k below
    /// <paramref name="sliceCount"/>. <paramref name="runbookPattern"/> (a name or a wildcard pattern, any case)
    /// limits it to the jobs of matching runbooks; null counts every job. Slices and statuses with no rows are left out.
    /// </summary>
    IReadOnlyList<StatusCount> CountStatusChanges(DateTime start, TimeSpan slice, int sliceCount, string? runbookPattern);

    /// <summary>A store-wide setting (admin_configuration), or null when it is not set.</summary>
    string? GetSetting(string key);

    void SetSetting(string key, string value);

    /// <summary>Sets the setting unless it is set (atomically, across processes); returns the value it holds now.</summary>
    string GetOrAddSetting(string key, string value);

    /// <summary>
    /// Deletes up to <paramref name="max"/> final jobs whose last change is before <paramref name="cutoff"/> (any
    /// age when null), oldest first, with everything they recorded, in one transaction; returns how many it deleted.
    /// </summary>
    int PurgeFinalJobs(DateTime? cutoff, int max);

    /// <summary>Ids of final jobs that ended before <paramref name="cutoff"/> (oldest first).</summary>
    IReadOnlyList<Guid> FinalJobsEndedBefore(DateTime cutoff, int max);

    /// <summary>How many jobs the store holds, in any status.</summary>
    long CountJobs();
}
