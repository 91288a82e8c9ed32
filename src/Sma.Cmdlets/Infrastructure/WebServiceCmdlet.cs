using System.Management.Automation;
using Sma.Engine;
using Sma.Engine.Services;

namespace Sma.Cmdlets.Infrastructure;

/// <summary>
/// Base of the cmdlets that run the web service on this machine: the store it serves (-StorePath, else
/// $env:SMA_STORE or the per-user default) and engine errors as ErrorRecords. It takes SMA's endpoint parameters as
/// every Sma cmdlet does, but works on this machine only: it runs the endpoint.
/// </summary>
public abstract class WebServiceCmdlet : PSCmdlet
{
    #region Parameters

    /// <summary>This machine only (omitted, localhost or its name): web services are started and stopped where they run.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? WebServiceEndpoint { get; set; }

    /// <summary>
    /// Start-SmaWebService: the TCP port to listen on (SMA's was 9090; 0 picks a free one). Get- and Stop-SmaWebService:
    /// only the server listening on this port.
    /// </summary>
    [Parameter]
    [ValidateRange(0, 65535)]
    public int Port { get; set; } = 9090;

    /// <summary>SMA's authentication type; accepted so SMA scripts bind (these cmdlets act on this machine).</summary>
    [Parameter]
    [ValidateSet("Basic", "Windows")]
    public string AuthenticationType { get; set; } = "Windows";

    /// <summary>SMA's web service credential; accepted so SMA scripts bind (these cmdlets act on this machine).</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>The store the web service serves; $env:SMA_STORE or the per-user default when omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StorePath { get; set; }

    #endregion

    /// <summary>The full path of the store, or its PostgreSQL connection text.</summary>
    protected string Store => StorePath is null ? StoreLocation.DefaultPath
        : Sma.Engine.Store.StoreFactory.IsServer(StorePath) ? StorePath : GetUnresolvedProviderPathFromPSPath(StorePath);

    /// <summary>The folder the module was loaded from (its server is in server/ below it).</summary>
    protected static string ModuleFolder => Path.GetDirectoryName(typeof(WebServiceCmdlet).Assembly.Location)!;

    #region Overrides

    protected sealed override void ProcessRecord()
    {
        try
        {
            if (!string.IsNullOrWhiteSpace(WebServiceEndpoint) && !EndpointResolver.IsLocal(WebServiceEndpoint))
                throw SmaErrors.RemoteEndpointLocalOnly(WebServiceEndpoint, MyInvocation.MyCommand.Name, "the web service processes of this machine",
                    "run it on the server itself (with -StorePath naming the store it serves), and reach that service from here " +
                    "with -WebServiceEndpoint on the other Sma cmdlets");
            Process();
        }
        catch (SmaException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, e.ErrorId, e.Category, e.Target));
        }
    }

    #endregion

    protected abstract void Process();

    /// <summary>True when -Port was given (Get- and Stop-SmaWebService then act on that server only).</summary>
    protected bool PortGiven => MyInvocation.BoundParameters.ContainsKey(nameof(Port));
}
