using System.Management.Automation;
using Sma.Engine;

namespace Sma.Cmdlets.Infrastructure;

/// <summary>
/// Base of the cmdlets that run the web service on this machine: the store it serves (-StorePath, else
/// $env:SMA_STORE or the per-user default) and engine errors as ErrorRecords. Not an SMA endpoint cmdlet: it has no
/// -WebServiceEndpoint, since it is the endpoint.
/// </summary>
public abstract class WebServiceCmdlet : PSCmdlet
{
    #region Parameters

    /// <summary>The store the web service serves; $env:SMA_STORE or the per-user default when omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StorePath { get; set; }

    #endregion

    /// <summary>The full path of the store.</summary>
    protected string Store => StorePath is null ? StoreLocation.DefaultPath : GetUnresolvedProviderPathFromPSPath(StorePath);

    /// <summary>The folder the module was loaded from (its server is in server/ below it).</summary>
    protected static string ModuleFolder => Path.GetDirectoryName(typeof(WebServiceCmdlet).Assembly.Location)!;

    #region Overrides

    protected sealed override void ProcessRecord()
    {
        try
        {
            Process();
        }
        catch (SmaException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, e.ErrorId, e.Category, e.Target));
        }
    }

    #endregion

    protected abstract void Process();
}
