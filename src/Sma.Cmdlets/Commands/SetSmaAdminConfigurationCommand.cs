using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;
using Sma.Engine.Services;

namespace Sma.Cmdlets.Commands;

/// <summary>
/// Changes the store-wide settings. Workers delete ended jobs (Completed, Failed, Stopped) whose last change is older
/// than PurgeJobsOlderThanCountDays, with their records, in the background (at most once an hour per process).
/// </summary>
[Cmdlet(VerbsCommon.Set, "SmaAdminConfiguration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(AdminConfiguration))]
public sealed class SetSmaAdminConfigurationCommand : SmaCmdlet
{
    #region Parameters

    /// <summary>Keep ended jobs this many days after their last change (1 to 3650; the default is 30).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateRange(AdminConfigurationService.MinPurgeDays, AdminConfigurationService.MaxPurgeDays)]
    public int PurgeJobsOlderThanCountDays { get; set; }

    /// <summary>Return the configuration after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    #endregion

    protected override void Process()
    {
        var settings = new AdminConfigurationService(Runtime);
        if (!ShouldProcess(Runtime.Store.Location,
                $"Keep ended jobs {PurgeJobsOlderThanCountDays} days (PurgeJobsOlderThanCountDays); older ones are deleted"))
            return;
        var updated = settings.Set(PurgeJobsOlderThanCountDays);
        if (PassThru)
            WriteObject(updated);
    }
}
