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
/// shows its Name, ComputerName, ProcessId, Status, StartTime, LastHeartbeat (UTC), ThrottleLimit and RunningJobs, and
/// Format-List shows IncarnationId and LastError (the last error its loop or its store writer met) too.
/// </para>
/// <para>
/// A worker is an incarnation: its name, computer, process and that process's start time. A worker started again under
/// the same name is a new incarnation that neither adopts nor hides the jobs of the old one; each name is shown once,
/// as its latest incarnation.
/// </para>
/// <para>
/// Status is Running, Stopping (draining), Stopped, or Lost. A worker on this computer is lost as soon as its process
/// is gone (and never while its process runs); one on another computer when its heartbeat is older than
/// $env:SMA_WORKER_TIMEOUT seconds (30 by default). Its jobs are then recovered: Workflow jobs resume from their last
/// checkpoint, Script jobs fail naming it.
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

    protected override bool WorksRemotely => true;

    protected override void Process()
    {
        var patterns = Name?.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
        foreach (var worker in Remote?.ListWorkers() ?? new WorkerService(Runtime).List())
            if (patterns is null || patterns.Any(p => p.IsMatch(worker.Name)))
                WriteObject(worker);
    }
}
