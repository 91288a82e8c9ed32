using System.Collections;
using System.Management.Automation;
using Sma.Engine;
using Sma.Engine.Model;
using Sma.Engine.Services;

namespace Sma.Cmdlets.Infrastructure;

/// <summary>What Start-SmaRunbook -ScheduleName and Register-SmaScheduledRunbook share: link, warn when no worker is there to fire it.</summary>
internal static class ScheduledRunbookWriter
{
    public static void Link(SmaCmdlet cmdlet, ScheduleService schedules, Runbook runbook, string scheduleName, IDictionary? parameters, bool wait)
    {
        if (wait)
            throw SmaErrors.ScheduleWithWait(scheduleName);
        if (schedules.Find(scheduleName) is null)
            throw SmaErrors.ScheduleNotFound(scheduleName); // before asking: a link to nothing is no question
        if (!cmdlet.ShouldProcess($"{runbook.RunbookName} -> {scheduleName}", "Link runbook to schedule"))
            return;
        var location = cmdlet.SessionState.Path.CurrentFileSystemLocation.ProviderPath;
        var link = schedules.Link(runbook, scheduleName, parameters, location);
        if (!schedules.AnyWorkerAvailable())
            cmdlet.WriteWarning(
                $"No worker is running, so schedule '{scheduleName}' starts no job until one does: start a dedicated worker " +
                "(Start-SmaWorker), or keep a session running jobs open. Occurrences no worker reaches within the grace " +
                "period are recorded as missed.");
        cmdlet.WriteObject(link);
    }
}
