using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine;
using Sma.Engine.WebService;

namespace Sma.Cmdlets.Commands;

/// <summary>Stops web services of a store on this machine.</summary>
/// <remarks>
/// Asks each server to stop: it finishes the requests it is serving, its worker (if it runs one) settles its jobs,
/// and the process exits. A server that has not ended within -TimeoutSeconds is killed. Without -ProcessId or -Port,
/// every web service of the store on this machine is stopped. A process id that is not a running web service of the store is a
/// non-terminating WebServiceNotRunning error.
/// </remarks>
/// <returns>Each server that was stopped, with -PassThru (WebServiceInfo).</returns>
/// <seealso cref="StartSmaWebServiceCommand"/>
[Cmdlet(VerbsLifecycle.Stop, "SmaWebService", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(WebServiceInfo))]
public sealed class StopSmaWebServiceCommand : WebServiceCmdlet
{
    #region Parameters

    /// <summary>The process ids of the servers to stop (Get-SmaWebService's ProcessId); all of the store when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    public int[]? ProcessId { get; set; }

    /// <summary>How long to wait for each server to end before killing it, in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>Return each server that was stopped.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    #endregion

    protected override void Process()
    {
        var running = WebServiceRegistry.List(Store).Where(s => !PortGiven || s.Port == Port).ToList();
        if (PortGiven && ProcessId is null && running.Count == 0)
        {
            var missing = SmaErrors.WebServiceNotRunning($"on port {Port}");
            WriteError(new ErrorRecord(missing, missing.ErrorId, missing.Category, Port));
            return;
        }
        IEnumerable<object> targets = ProcessId is null
            ? running
            : ProcessId.Select(id => running.FirstOrDefault(r => r.ProcessId == id) ?? (object)id);
        foreach (var target in targets)
        {
            if (target is not WebServiceInfo info)
            {
                var error = SmaErrors.WebServiceNotRunning($"with process id {target}");
                WriteError(new ErrorRecord(error, error.ErrorId, error.Category, target));
                continue;
            }
            if (!ShouldProcess($"{info.Url} (process {info.ProcessId})", "Stop the web service"))
                continue;
            WebServiceLauncher.Stop(info, TimeSpan.FromSeconds(TimeoutSeconds));
            if (PassThru)
                WriteObject(info);
        }
    }
}
