using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;
using Sma.Engine.Services;

namespace Sma.Cmdlets.Commands;

/// <summary>Gets the store-wide retention settings.</summary>
/// <remarks>
/// <para>
/// Get-SmaAdminConfiguration returns the settings kept in the store, which every worker using the store applies:
/// PurgeJobsOlderThanCountDays (how many days ended jobs are kept after their last change; 30 by default) and
/// MaxJobRecords (how many jobs the store keeps at most; 0, the default, for no limit), and the path of the store.
/// </para>
/// </remarks>
/// <returns>The configuration: PurgeJobsOlderThanCountDays, MaxJobRecords and StorePath.</returns>
/// <seealso cref="SetSmaAdminConfigurationCommand"/>
/// <seealso cref="RemoveSmaJobCommand"/>
[Cmdlet(VerbsCommon.Get, "SmaAdminConfiguration")]
[OutputType(typeof(AdminConfiguration))]
public sealed class GetSmaAdminConfigurationCommand : SmaCmdlet
{
    protected override bool WorksRemotely => true;

    protected override void Process() => WriteObject(Remote?.GetAdminConfiguration() ?? new AdminConfigurationService(Runtime).Get());
}
