using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;
using Sma.Engine.Services;

namespace Sma.Cmdlets.Commands;

/// <summary>Shows where this session's jobs run (its isolation) and its background worker.</summary>
/// <remarks>
/// <para>
/// Get-SmaSessionOption shows this session's Isolation: Thread (the default) runs the session's jobs on threads of
/// this process, as Start-ThreadJob does; Process runs them in a background worker process that the module starts
/// when the session first needs a worker and stops when the session ends, so a job cannot reach this process (its
/// environment variables, current directory, console input, or [Environment]::Exit). IsolationSource says where the
/// value comes from: Set-SmaSessionOption, $env:SMA_ISOLATION, or Default.
/// </para>
/// <para>
/// With Process isolation, BackgroundWorker, BackgroundProcessId and BackgroundLog describe the session's background
/// worker for the store while its process runs (empty before the first job).
/// </para>
/// </remarks>
/// <returns>A SessionOption object.</returns>
/// <seealso cref="SetSmaSessionOptionCommand"/>
/// <seealso cref="GetSmaRunbookWorkerDeploymentCommand"/>
[Cmdlet(VerbsCommon.Get, "SmaSessionOption")]
[OutputType(typeof(SessionOption))]
public sealed class GetSmaSessionOptionCommand : SmaCmdlet
{
    protected override (string ActsOn, string Instead)? LocalOnly =>
        ("this PowerShell session's own settings",
         "omit -WebServiceEndpoint; a web service keeps no settings of your session");

    protected override void Process() => WriteObject(new SessionOptionService(Runtime).Get());
}
