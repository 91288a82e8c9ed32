using System.Collections;
using System.Management.Automation;
using Sma.Engine;
using Sma.Engine.Model;
using Sma.Engine.Remote;
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
            cmdlet.WriteWarning(NoWorker(scheduleName));
        cmdlet.WriteObject(link);
    }

    /// <summary>The same through a web service: the schedule and the workers are the server's.</summary>
    public static void Link(SmaCmdlet cmdlet, RemoteService remote, Runbook runbook, string scheduleName, IDictionary? parameters, bool wait)
    {
        if (wait)
            throw SmaErrors.ScheduleWithWait(scheduleName);
        if (remote.FindSchedule(scheduleName) is null)
            throw SmaErrors.ScheduleNotFound(scheduleName);
        if (!cmdlet.ShouldProcess($"{runbook.RunbookName} -> {scheduleName}", "Link runbook to schedule"))
            return;
        var link = remote.Link(runbook, scheduleName, parameters);
        if (!remote.ListWorkers().Any(w => w.Status == "Running"))
            cmdlet.WriteWarning(NoWorker(scheduleName));
        cmdlet.WriteObject(link);
    }

    private static string NoWorker(string scheduleName) =>
        $"No worker is running, so schedule '{scheduleName}' starts no job until one does: start a dedicated worker " +
        "(Start-SmaWorker), or keep a session running jobs open. Occurrences no worker reaches within the grace " +
        "period are recorded as missed.";
}
