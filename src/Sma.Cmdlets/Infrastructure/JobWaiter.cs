using System.Management.Automation;
using Sma.Engine.Model;
using Sma.Engine.Services;

namespace Sma.Cmdlets.Infrastructure;

/// <summary>Waits for jobs with a progress bar, as Wait-SmaJob and Start-SmaRunbook -Wait do.</summary>
internal static class JobWaiter
{
    public static IReadOnlyList<Job> Wait(Cmdlet cmdlet, JobService jobs, IReadOnlyList<Guid> ids, int? timeoutSeconds, CancellationToken cancel)
    {
        var progress = new ProgressRecord(1, "Waiting for Sma jobs", "Starting");
        var timeout = timeoutSeconds is { } s ? TimeSpan.FromSeconds(s) : (TimeSpan?)null;
        var started = DateTime.UtcNow;
        var result = jobs.Wait(ids, timeout, (done, count) =>
        {
            progress.StatusDescription = $"{done} of {count} job(s) finished";
            progress.PercentComplete = count == 0 ? 100 : done * 100 / count;
            progress.SecondsRemaining = timeout is { } t ? Math.Max(0, (int)(t - (DateTime.UtcNow - started)).TotalSeconds) : -1;
            cmdlet.WriteProgress(progress);
        }, cancel);
        progress.RecordType = ProgressRecordType.Completed;
        cmdlet.WriteProgress(progress);
        var unfinished = result.Where(j => j.Status is not ("Completed" or "Failed" or "Stopped" or "Suspended")).ToList();
        if (unfinished.Count > 0 && !cancel.IsCancellationRequested)
            cmdlet.WriteWarning(
                $"{unfinished.Count} job(s) did not finish within {timeoutSeconds} seconds and are still running: " +
                string.Join(", ", unfinished.Select(j => $"{j.JobId} ({j.Status})")));
        return result;
    }
}
