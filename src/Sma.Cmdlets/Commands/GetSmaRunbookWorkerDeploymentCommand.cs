using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;
using Sma.Engine.Services;

namespace Sma.Cmdlets.Commands;

/// <summary>The workers registered in the store: name, computer, process, status (Running, Stopping, Stopped, Lost), heartbeat, load.</summary>
[Cmdlet(VerbsCommon.Get, "SmaRunbookWorkerDeployment")]
[OutputType(typeof(WorkerInfo))]
public sealed class GetSmaRunbookWorkerDeploymentCommand : SmaCmdlet
{
    #region Parameters

    /// <summary>Worker names; wildcards are allowed.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
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
