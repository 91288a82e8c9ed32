using System.Management.Automation;
using Sma.Engine;
using Sma.Engine.Services;

namespace Sma.Cmdlets.Infrastructure;

/// <summary>
/// Base of every Sma cmdlet: SMA's endpoint parameters (resolved in one place), the store they lead to, and the
/// translation of engine errors into terminating ErrorRecords with stable ErrorIds.
/// </summary>
public abstract class SmaCmdlet : PSCmdlet
{
    private SmaRuntime? _runtime;

    #region Parameters

    /// <summary>
    /// SMA's web service endpoint, accepted so that scripts written for SMA run unchanged. Omitted, or a local endpoint
    /// (localhost, 127.0.0.1, ::1 or this computer's name, with any scheme and port), it means the local store. A remote
    /// endpoint is an error (RemoteEndpointNotSupported): remote SMA web services are not supported yet.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? WebServiceEndpoint { get; set; }

    /// <summary>SMA's web service port, accepted so that scripts written for SMA run unchanged; not used by the local store.</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int Port { get; set; } = 9090;

    /// <summary>
    /// SMA's authentication type for its web service (Windows or Basic), accepted so that scripts written for SMA run
    /// unchanged; not used by the local store.
    /// </summary>
    [Parameter]
    [ValidateSet("Basic", "Windows")]
    public string AuthenticationType { get; set; } = "Windows";

    /// <summary>
    /// The credential for SMA's web service, accepted so that scripts written for SMA run unchanged; not used by the
    /// local store.
    /// </summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>
    /// The store (an SQLite file) this command uses instead of $env:SMA_STORE or the per-user default
    /// (~/.local/share/sma/sma.db on Linux and macOS, %LOCALAPPDATA%\Sma\sma.db on Windows). A new file is created in
    /// an existing folder. Hidden from tab completion: setting $env:SMA_STORE is the usual way to choose a store.
    /// </summary>
    [Parameter(DontShow = true)]
    [ValidateNotNullOrEmpty]
    public string? StorePath { get; set; }

    #endregion

    /// <summary>The runtime of the store this call resolves to, opened on first use.</summary>
    protected SmaRuntime Runtime => _runtime ??= SmaRuntime.ForStore(EndpointResolver.ResolveStorePath(
        WebServiceEndpoint, StorePath is null ? null : GetUnresolvedProviderPathFromPSPath(StorePath)));

    protected RunbookService Runbooks => new(Runtime);

    protected JobService Jobs => new(Runtime);

    #region Overrides

    protected sealed override void BeginProcessing() => Guard(Begin);

    protected sealed override void ProcessRecord() => Guard(Process);

    protected sealed override void EndProcessing() => Guard(End);

    #endregion

    protected virtual void Begin()
    {
        // Resolve the endpoint up front so a remote one fails before any input is processed.
        _ = Runtime;
    }

    protected abstract void Process();

    protected virtual void End() { }

    /// <summary>Reports an engine error as a terminating error, the PowerShell way.</summary>
    protected void Guard(Action action)
    {
        try
        {
            action();
        }
        catch (SmaException e)
        {
            if (e.ErrorId is "StoreGone" or "StoreReplaced" && e.Target is string path)
                SmaRuntime.ReleaseBroken(path); // reported now; the next command opens the file at the path afresh
            ThrowTerminatingError(new ErrorRecord(e, e.ErrorId, e.Category, e.Target));
        }
        catch (Exception e) when (e is System.Data.Common.DbException or IOException or UnauthorizedAccessException)
        {
            // The store went away or broke under us: say so plainly rather than crash the pipeline.
            var error = SmaErrors.StoreUnavailable(_runtime?.Store.Location ?? StorePath ?? StoreLocation.DefaultPath, e);
            ThrowTerminatingError(new ErrorRecord(error, error.ErrorId, error.Category, error.Target));
        }
    }

    /// <summary>A job id from user input: a Guid, a Job object, or its text; anything else is InvalidJobId.</summary>
    protected static Guid ParseJobId(string text) =>
        Guid.TryParse(text.Trim(), out var id) ? id : throw SmaErrors.InvalidJobId(text);

    /// <summary>A local DateTime from the user, as the UTC the store keeps.</summary>
    protected static DateTime? ToUtc(DateTime? time) => time?.ToUniversalTime();
}
