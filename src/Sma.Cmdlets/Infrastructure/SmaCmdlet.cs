using System.Management.Automation;
using Sma.Engine;
using Sma.Engine.Remote;
using Sma.Engine.Services;

namespace Sma.Cmdlets.Infrastructure;

/// <summary>
/// Base of every Sma cmdlet: SMA's endpoint parameters (resolved in one place), the store they lead to, and the
/// translation of engine errors into ErrorRecords with stable ErrorIds: non-terminating for a failure that concerns
/// one item of the input (<see cref="PerItem"/>), terminating otherwise (<see cref="Guard"/>).
/// </summary>
public abstract class SmaCmdlet : PSCmdlet, IDisposable
{
    private SmaRuntime? _runtime;
    private RemoteService? _remote;

    #region Parameters

    /// <summary>
    /// SMA's web service endpoint (https://server, or https://server:port). Omitted or this machine: the local store.
    /// Another machine: the runbook, job, asset, module, schedule, configuration, worker list, summary and dashboard
    /// cmdlets work through its web service (Start-SmaWebService there) and return the same objects (about_Sma lists
    /// them); those that act on this machine by nature (workers, session options, Test-SmaStore, the web service and its
    /// accounts) refuse it and say what to do instead.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? WebServiceEndpoint { get; set; }

    /// <summary>SMA's web service port (9090 by default) when -WebServiceEndpoint names none. Unused for the local store.</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int Port { get; set; } = 9090;

    /// <summary>
    /// SMA's authentication type. The web service takes Basic over HTTPS: -Credential is sent that way whichever is
    /// given (Windows authentication is not offered). Unused for the local store.
    /// </summary>
    [Parameter]
    [ValidateSet("Basic", "Windows")]
    public string AuthenticationType { get; set; } = "Windows";

    /// <summary>The web service account to sign in with (New-SmaWebServiceAccount on the server). Unused for the local store.</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>
    /// The store (an SQLite file) this command uses instead of $env:SMA_STORE or the per-user default
    /// (~/.local/share/sma/sma.db on Linux and macOS, %LOCALAPPDATA%\Sma\sma.db on Windows). A new file is created in
    /// an existing folder. Inside a job, the commands use the job's own store when this is omitted.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StorePath { get; set; }

    #endregion

    /// <summary>The runtime of the store this call resolves to (inside a job: the job's own store), opened on first use.</summary>
    protected SmaRuntime Runtime => _runtime ??= EndpointResolver.ResolveRuntime(
        WebServiceEndpoint, StorePath is null ? null : Sma.Engine.Store.StoreFactory.IsServer(StorePath) ? StorePath : GetUnresolvedProviderPathFromPSPath(StorePath), SessionState);

    protected RunbookService Runbooks => new(Runtime);

    protected JobService Jobs => new(Runtime);

    protected ScheduleService Schedules => new(Runtime);

    #region Overrides

    protected sealed override void BeginProcessing() => Guard(Begin);

    protected sealed override void ProcessRecord() => Guard(Process);

    protected sealed override void EndProcessing() => Guard(End);

    #endregion

    /// <summary>True when -WebServiceEndpoint names another machine: the call goes to that web service.</summary>
    protected bool IsRemote => !string.IsNullOrWhiteSpace(WebServiceEndpoint) && !EndpointResolver.IsLocal(WebServiceEndpoint);

    /// <summary>
    /// The remote web service this call goes to (null for the local store). Only cmdlets that say they
    /// <see cref="WorksRemotely"/> use it; the others refuse a remote endpoint in <see cref="Begin"/>.
    /// </summary>
    protected RemoteService? Remote => IsRemote
        ? _remote ??= new RemoteService(WebServiceClient.For(WebServiceEndpoint!, Port, Credential))
        : null;

    /// <summary>Whether this cmdlet does its work through a remote web service when given one.</summary>
    protected virtual bool WorksRemotely => false;

    /// <summary>
    /// For a cmdlet that acts on this machine by nature: what it acts on, and what to do instead of naming a remote
    /// endpoint (its refusal says so). Null for a cmdlet that simply does not work through a web service yet.
    /// </summary>
    protected virtual (string ActsOn, string Instead)? LocalOnly => null;

    protected virtual void Begin()
    {
        // Resolve the endpoint up front so a remote one fails before any input is processed.
        if (IsRemote)
        {
            if (LocalOnly is { } local)
                throw SmaErrors.RemoteEndpointLocalOnly(WebServiceEndpoint!, MyInvocation.MyCommand.Name, local.ActsOn, local.Instead);
            if (!WorksRemotely)
                throw SmaErrors.RemoteEndpointNotSupported(WebServiceEndpoint!,
                    StorePath is null ? StoreLocation.DefaultPath : GetUnresolvedProviderPathFromPSPath(StorePath), MyInvocation.MyCommand.Name);
            _ = Remote;
            return;
        }
        _ = Runtime;
    }

    public void Dispose()
    {
        _remote?.Dispose();
        GC.SuppressFinalize(this);
    }

    protected abstract void Process();

    protected virtual void End() { }

    /// <summary>
    /// Runs the part of a command that concerns one item of its input: a runbook or job it names, a file it imports.
    /// An engine error there (not found, a state that refuses the request, a file that cannot be imported) becomes a
    /// non-terminating error that honours -ErrorAction, and the command goes on with its next item, as Get-Item and
    /// Stop-Process do. Errors about the store itself, or a web service that refuses the account, stay terminating: no
    /// later item could fare better.
    /// </summary>
    protected void PerItem(Action action)
    {
        try
        {
            action();
        }
        catch (SmaException e) when (!SmaErrors.IsStoreFailure(e) && !SmaErrors.IsWebServiceFailure(e))
        {
            WriteError(new ErrorRecord(e, e.ErrorId, e.Category, e.Target));
        }
    }

    /// <summary><see cref="PerItem(Action)"/> for a lookup: the item, or null once its error has been written.</summary>
    protected T? PerItem<T>(Func<T> lookup) where T : class
    {
        T? found = null;
        PerItem(() => { found = lookup(); });
        return found;
    }

    /// <summary>
    /// Reports an engine error as a terminating error: invalid parameter values, input that makes the whole command
    /// meaningless, a store that cannot be used. (Per-item failures are caught before, by <see cref="PerItem"/>.)
    /// </summary>
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
            var error = SmaErrors.StoreUnavailable(_runtime?.Store.Description ?? StorePath ?? StoreLocation.DefaultPath, e);
            ThrowTerminatingError(new ErrorRecord(error, error.ErrorId, error.Category, error.Target));
        }
    }

    /// <summary>A job id from user input: a Guid, a Job object, or its text; anything else is InvalidJobId.</summary>
    protected static Guid ParseJobId(string text) =>
        Guid.TryParse(text.Trim(), out var id) ? id : throw SmaErrors.InvalidJobId(text);

    /// <summary>A local DateTime from the user, as the UTC the store keeps.</summary>
    protected static DateTime? ToUtc(DateTime? time) => time?.ToUniversalTime();
}
