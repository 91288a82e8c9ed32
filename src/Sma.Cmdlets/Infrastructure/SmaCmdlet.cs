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

    /// <summary>SMA's web service endpoint. Omitted or local: the local store; remote endpoints are not supported yet.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? WebServiceEndpoint { get; set; }

    /// <summary>SMA's web service port; accepted so SMA scripts bind. Unused for the local store.</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int Port { get; set; } = 9090;

    /// <summary>SMA's authentication type; accepted so SMA scripts bind. Unused for the local store.</summary>
    [Parameter]
    [ValidateSet("Basic", "Windows")]
    public string AuthenticationType { get; set; } = "Windows";

    /// <summary>SMA's web service credential; accepted so SMA scripts bind. Unused for the local store.</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>The store file to use instead of $env:SMA_STORE or the per-user default.</summary>
    [Parameter(DontShow = true)]
    [ValidateNotNullOrEmpty]
    public string? StorePath { get; set; }

    #endregion

    /// <summary>The runtime of the store this call resolves to (inside a job: the job's own store), opened on first use.</summary>
    protected SmaRuntime Runtime => _runtime ??= EndpointResolver.ResolveRuntime(
        WebServiceEndpoint, StorePath is null ? null : GetUnresolvedProviderPathFromPSPath(StorePath), SessionState);

    protected RunbookService Runbooks => new(Runtime);

    protected JobService Jobs => new(Runtime);

    protected ScheduleService Schedules => new(Runtime);

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
