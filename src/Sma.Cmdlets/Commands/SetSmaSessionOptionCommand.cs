using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;
using Sma.Engine.Services;

namespace Sma.Cmdlets.Commands;

/// <summary>Chooses where this session's jobs run: on its own threads (Thread) or in a background worker process (Process).</summary>
/// <remarks>
/// <para>
/// Set-SmaSessionOption -Isolation chooses, for this session (this PowerShell process), where the jobs of the
/// session's own worker run. Thread, the default, runs them on threads of this process, as Start-ThreadJob does: the
/// fastest start, and jobs share this process. Process runs them in a background worker process that the module
/// starts the first time the session needs a worker (the first Start-SmaRunbook waits for a pwsh process to start) and
/// stops when the session ends or the module is removed: [Environment]::Exit in a job cannot end this session, and a
/// job's environment variables, current directory and console input are not this session's.
/// </para>
/// <para>
/// The choice overrides $env:SMA_ISOLATION, which sets the same for every session that does not choose (a CI job sets
/// it once). Changing it lets the session's worker of the other kind go: an embedded worker drains (running jobs
/// suspend at their next checkpoint or finish); a background worker drains and exits. Jobs may still run on any
/// worker of the store (a dedicated one, or another session's). Set-SmaSessionOption supports -WhatIf and -Confirm.
/// </para>
/// </remarks>
/// <returns>With -PassThru, the session's options after the change; otherwise nothing.</returns>
/// <seealso cref="GetSmaSessionOptionCommand"/>
/// <seealso cref="StartSmaWorkerCommand"/>
[Cmdlet(VerbsCommon.Set, "SmaSessionOption", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(SessionOption))]
public sealed class SetSmaSessionOptionCommand : SmaCmdlet
{
    #region Parameters

    /// <summary>
    /// Where this session's jobs run: Thread (on this process's threads, the default) or Process (in a background
    /// worker process the module starts and stops).
    /// </summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateSet("Thread", "Process", IgnoreCase = true)]
    public string Isolation { get; set; } = "";

    /// <summary>Returns the session's options after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    #endregion

    protected override (string ActsOn, string Instead)? LocalOnly =>
        ("this PowerShell session's own settings",
         "omit -WebServiceEndpoint; a web service keeps no settings of your session");

    protected override void Process()
    {
        var isolation = Enum.Parse<JobIsolation>(Isolation, ignoreCase: true);
        if (!ShouldProcess($"this session (process {Environment.ProcessId})", $"Run the session's jobs with {isolation} isolation"))
            return;
        SessionOptionService.SetIsolation(isolation);
        if (PassThru)
            WriteObject(new SessionOptionService(Runtime).Get());
    }
}
