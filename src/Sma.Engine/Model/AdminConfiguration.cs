namespace Sma.Engine.Model;

/// <summary>Store-wide settings (Get-/Set-SmaAdminConfiguration), kept in the store itself.</summary>
public sealed class AdminConfiguration
{
    /// <summary>Ended jobs (Completed, Failed, Stopped) whose last change is older than this many days are purged by the workers.</summary>
    public int PurgeJobsOlderThanCountDays { get; init; }

    /// <summary>
    /// The most jobs the store keeps (SMA's MaxJobRecords): beyond it the workers delete the oldest ended jobs, even
    /// within the retention period. 0, the default, sets no limit.
    /// </summary>
    public int MaxJobRecords { get; init; }

    /// <summary>The store the settings belong to.</summary>
    public string StorePath { get; init; } = "";

    public override string ToString() => $"PurgeJobsOlderThanCountDays={PurgeJobsOlderThanCountDays}; MaxJobRecords={MaxJobRecords}";
}
