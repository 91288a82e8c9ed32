using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine;
using Sma.Engine.Model;
using Sma.Engine.Services;

namespace Sma.Cmdlets.Commands;

/// <summary>Changes the store-wide retention settings.</summary>
/// <remarks>
/// <para>
/// Set-SmaAdminConfiguration changes the retention settings kept in the store, which every worker using the store
/// applies. The workers delete ended jobs (Completed, Failed, Stopped), with their records, history and checkpoints,
/// once their last change is older than PurgeJobsOlderThanCountDays; and when the store holds more than MaxJobRecords
/// jobs, they delete the oldest ended ones beyond it, however recent. Jobs that have not ended, Suspended ones
/// included, are never deleted.
/// </para>
/// <para>
/// Every worker purges in the background, in small batches, at most once an hour per process, starting with its first
/// heartbeat. Give at least one setting (NoAdminSettingGiven otherwise); the other keeps its value.
/// Set-SmaAdminConfiguration supports -WhatIf and -Confirm.
/// </para>
/// </remarks>
/// <returns>With -PassThru, the configuration after the change; otherwise nothing.</returns>
/// <seealso cref="GetSmaAdminConfigurationCommand"/>
/// <seealso cref="RemoveSmaJobCommand"/>
[Cmdlet(VerbsCommon.Set, "SmaAdminConfiguration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(AdminConfiguration))]
public sealed class SetSmaAdminConfigurationCommand : SmaCmdlet
{
    #region Parameters

    /// <summary>
    /// Keeps ended jobs this many days after their last change (1 to 3650). The store's default is 30.
    /// </summary>
    [Parameter(Position = 0)]
    [ValidateRange(AdminConfigurationService.MinPurgeDays, AdminConfigurationService.MaxPurgeDays)]
    public int PurgeJobsOlderThanCountDays { get; set; }

    /// <summary>
    /// Keeps at most this many jobs: beyond it, the oldest ended jobs are deleted. 0, the store's default, sets no
    /// limit.
    /// </summary>
    [Parameter]
    [ValidateRange(AdminConfigurationService.NoJobLimit, int.MaxValue)]
    public int MaxJobRecords { get; set; }

    /// <summary>Returns the configuration after the change. By default nothing is returned.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    #endregion

    protected override bool WorksRemotely => true;

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
        if (!ShouldProcess(Remote?.Endpoint ?? Runtime.Store.Description, string.Join("; ", changes)))
            return;
        var updated = Remote?.SetAdminConfiguration(days, records) ?? new AdminConfigurationService(Runtime).Set(days, records);
        if (PassThru)
            WriteObject(updated);
    }
}
