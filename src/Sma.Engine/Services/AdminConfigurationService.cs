using Sma.Engine.Model;
using Sma.Engine.Store;

namespace Sma.Engine.Services;

/// <summary>Store-wide settings for the cmdlets (Get-/Set-SmaAdminConfiguration) and the workers (retention).</summary>
public sealed class AdminConfigurationService
{
    public const string PurgeDaysKey = "PurgeJobsOlderThanCountDays";
    public const int DefaultPurgeDays = 30;
    public const int MinPurgeDays = 1;
    public const int MaxPurgeDays = 3650;
    public const string MaxJobRecordsKey = "MaxJobRecords";
    public const int NoJobLimit = 0;

    private readonly IJobStore _store;

    public AdminConfigurationService(SmaRuntime runtime) => _store = runtime.Store;

    public AdminConfiguration Get() => new()
    {
        PurgeJobsOlderThanCountDays = PurgeDays(_store),
        MaxJobRecords = MaxJobRecords(_store),
        StorePath = _store.Description,
    };

    /// <summary>Changes the settings given (null leaves one as it is) and returns them all.</summary>
    public AdminConfiguration Set(int? purgeJobsOlderThanCountDays, int? maxJobRecords = null)
    {
        // Both are checked before either is written, so a bad value changes nothing.
        if (purgeJobsOlderThanCountDays is < MinPurgeDays or > MaxPurgeDays)
            throw SmaErrors.InvalidAdminSetting(PurgeDaysKey, purgeJobsOlderThanCountDays.Value, MinPurgeDays, MaxPurgeDays);
        if (maxJobRecords is < NoJobLimit)
            throw SmaErrors.InvalidAdminSetting(MaxJobRecordsKey, maxJobRecords.Value, NoJobLimit, int.MaxValue);
        if (purgeJobsOlderThanCountDays is { } days)
            _store.SetSetting(PurgeDaysKey, days.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (maxJobRecords is { } records)
            _store.SetSetting(MaxJobRecordsKey, records.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Get();
    }

    /// <summary>The retention period in days; a missing or unreadable value means the default.</summary>
    internal static int PurgeDays(IJobStore store) =>
        int.TryParse(store.GetSetting(PurgeDaysKey), System.Globalization.NumberStyles.Integer,
            System.Globalization.CultureInfo.InvariantCulture, out var days) && days is >= MinPurgeDays and <= MaxPurgeDays
            ? days
            : DefaultPurgeDays;

    /// <summary>The most jobs to keep; 0 (also for a missing or unreadable value) sets no limit.</summary>
    internal static int MaxJobRecords(IJobStore store) =>
        int.TryParse(store.GetSetting(MaxJobRecordsKey), System.Globalization.NumberStyles.Integer,
            System.Globalization.CultureInfo.InvariantCulture, out var records) && records > 0
            ? records
            : NoJobLimit;
}
