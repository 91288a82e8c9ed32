using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;
using Sma.Engine.Services;

namespace Sma.Cmdlets.Commands;

/// <summary>Gets the workers registered in the store.</summary>
/// <remarks>
/// <para>
/// Get-SmaRunbookWorkerDeployment lists every worker that has used the store: dedicated workers (Start-SmaWorker) and
/// the embedded workers of sessions that started jobs (IsEmbedded; named after the computer and the process id). Each
/// shows its Name, ComputerName, ProcessId, Status, StartTime, LastHeartbeat (UTC), ThrottleLimit and RunningJobs.
/// </para>
/// <para>
/// Status is Running, Stopping (draining), Stopped, or Lost: a worker whose heartbeat is older than
/// $env:SMA_WORKER_TIMEOUT seconds (30 by default) is lost, and a live worker recovers its jobs.
/// </para>
/// </remarks>
/// <returns>Workers, one per registered worker that matches.</returns>
/// <seealso cref="StartSmaWorkerCommand"/>
/// <seealso cref="StopSmaWorkerCommand"/>
[Cmdlet(VerbsCommon.Get, "SmaRunbookWorkerDeployment")]
[OutputType(typeof(WorkerInfo))]
public sealed class GetSmaRunbookWorkerDeploymentCommand : SmaCmdlet
{
    #region Parameters

    /// <summary>Gets only the workers with these names (any case; wildcards allowed). Omitted: every worker.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    #endregion

    protected override void Process()
    {
        var patterns = Name?.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
        foreach (var worker in new WorkerService(Runtime).List())
            if (patterns is null || patterns.Any(p => p.IsMatch(worker.Name)))
                WriteObject(worker);
    }
}
