using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;
using Sma.Engine.Services;

namespace Sma.Cmdlets.Commands;

/// <summary>The store-wide settings: how many days ended jobs are kept (PurgeJobsOlderThanCountDays) and how many jobs at most (MaxJobRecords).</summary>
[Cmdlet(VerbsCommon.Get, "SmaAdminConfiguration")]
[OutputType(typeof(AdminConfiguration))]
public sealed class GetSmaAdminConfigurationCommand : SmaCmdlet
{
    protected override void Process() => WriteObject(new AdminConfigurationService(Runtime).Get());
}
