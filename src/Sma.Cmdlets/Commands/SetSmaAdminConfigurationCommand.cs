using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine;
using Sma.Engine.Model;
using Sma.Engine.Services;

namespace Sma.Cmdlets.Commands;

/// <summary>
/// Changes the store-wide settings. Workers delete ended jobs (Completed, Failed, Stopped) whose last change is older
/// than PurgeJobsOlderThanCountDays, and the oldest ended jobs beyond MaxJobRecords, with their records, in the
/// background (at most once an hour per process).
/// </summary>
[Cmdlet(VerbsCommon.Set, "SmaAdminConfiguration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(AdminConfiguration))]
public sealed class SetSmaAdminConfigurationCommand : SmaCmdlet
{
    #region Parameters

    /// <summary>Keep ended jobs this many days after their last change (1 to 3650; the default is 30).</summary>
    [Parameter(Position = 0)]
    [ValidateRange(AdminConfigurationService.MinPurgeDays, AdminConfigurationService.MaxPurgeDays)]
    public int PurgeJobsOlderThanCountDays { get; set; }

    /// <summary>Keep at most this many jobs: beyond it the oldest ended ones are deleted (0, the default, for no limit).</summary>
    [Parameter]
    [ValidateRange(AdminConfigurationService.NoJobLimit, int.MaxValue)]
    public int MaxJobRecords { get; set; }

    /// <summary>Return the configuration after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    #endregion

    protected override void Process()
    {
        int? days = MyInvocation.BoundParameters.ContainsKey(nameof(PurgeJobsOlderThanCountDays)) ? PurgeJobsOlderThanCountDays : null;
        int? records = MyInvocation.BoundParameters.ContainsKey(nameof(MaxJobRecords)) ? MaxJobRecords : null;
        if (days is null && records is null)
            throw SmaErrors.NoAdminSettingGiven();
        var changes = new List<string>();
        if (days is not null)
            changes.Add($"keep ended jobs {days} days (PurgeJobsOlderThanCountDays); older ones are deleted");
        if (records is not null)
            changes.Add(records == AdminConfigurationService.NoJobLimit
                ? "keep any number of jobs (MaxJobRecords 0)"
                : $"keep at most {records} jobs (MaxJobRecords); the oldest ended ones beyond it are deleted");
        if (!ShouldProcess(Runtime.Store.Description, string.Join("; ", changes)))
            return;
        var updated = new AdminConfigurationService(Runtime).Set(days, records);
        if (PassThru)
            WriteObject(updated);
    }
}
