using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;
using Sma.Engine.Store;

namespace Sma.Cmdlets.Commands;

/// <summary>Changes the settings of runbooks.</summary>
/// <remarks>
/// <para>
/// Set-SmaRunbookConfiguration changes only the settings you give; the others keep their values. The settings apply to
/// jobs started after the change. -Name and -Id take several runbooks, and runbooks can be piped in; a runbook that is
/// not found is a non-terminating error (RunbookNotFound) and the others are still changed.
/// </para>
/// <para>
/// Logging: Output, Error, Warning and Information records are always kept. Verbose, Progress and Debug records are
/// kept only when -LogVerbose, -LogProgress or -LogDebug is on, and turning one on also sets $VerbosePreference,
/// $ProgressPreference or $DebugPreference to 'Continue' in the runbook's jobs.
/// </para>
/// <para>
/// -RunbookWorker pins the runbook to one worker: its jobs run only on that worker, and a job started while that worker
/// is not available fails at once with an error naming it (SMA's rule). -RunbookWorker $null removes the pin.
/// -RunbookType decides what a terminating error does: a Script job fails, a Workflow job is suspended and can be
/// resumed from its last checkpoint.
/// </para>
/// </remarks>
/// <returns>With -PassThru, each runbook as it is after the change; otherwise nothing.</returns>
/// <seealso cref="GetSmaRunbookCommand"/>
/// <seealso cref="GetSmaJobOutputCommand"/>
/// <seealso cref="StartSmaWorkerCommand"/>
[Cmdlet(VerbsCommon.Set, "SmaRunbookConfiguration", SupportsShouldProcess = true, DefaultParameterSetName = ByName)]
[OutputType(typeof(Runbook))]
public sealed class SetSmaRunbookConfigurationCommand : RunbooksCmdlet
{

    #region Parameters

    /// <summary>
    /// Keeps the Verbose records of new jobs (and sets $VerbosePreference to 'Continue' in them) when $true; drops them
    /// when $false.
    /// </summary>
    [Parameter]
    public bool LogVerbose { get; set; }

    /// <summary>
    /// Keeps the Progress records of new jobs (and sets $ProgressPreference to 'Continue' in them) when $true; drops
    /// them when $false.
    /// </summary>
    [Parameter]
    public bool LogProgress { get; set; }

    /// <summary>
    /// Keeps the Debug records of new jobs (and sets $DebugPreference to 'Continue' in them) when $true; drops them
    /// when $false.
    /// </summary>
    [Parameter]
    public bool LogDebug { get; set; }

    /// <summary>The runbook's new description.</summary>
    [Parameter]
    public string? Description { get; set; }

    /// <summary>The runbook's new tags (they replace the old ones), stored comma-separated as SMA does.</summary>
    [Parameter]
    public string[]? Tags { get; set; }

    /// <summary>
    /// The worker that every job of the runbook must run on (a name given to Start-SmaWorker -Name). $null or an empty
    /// string removes the pin, so that any worker runs the jobs.
    /// </summary>
    [Parameter]
    [AllowNull]
    [AllowEmptyString]
    public string? RunbookWorker { get; set; }

    /// <summary>
    /// What a terminating error does to the runbook's jobs: Script fails the job; Workflow suspends it, resumable from
    /// its last checkpoint.
    /// </summary>
    [Parameter]
    [ValidateSet("Script", "Workflow", IgnoreCase = true)]
    public string? RunbookType { get; set; }

    /// <summary>Returns each runbook as it is after the change. By default nothing is returned.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    #endregion

    protected override bool WorksRemotely => true;

    protected override void Process()
    {
        var bound = MyInvocation.BoundParameters;
        var changes = new RunbookChanges
        {
            LogVerbose = bound.ContainsKey(nameof(LogVerbose)) ? LogVerbose : null,
            LogProgress = bound.ContainsKey(nameof(LogProgress)) ? LogProgress : null,
            LogDebug = bound.ContainsKey(nameof(LogDebug)) ? LogDebug : null,
            Description = Description,
            Tags = Tags is null ? null : string.Join(",", Tags),
            Type = RunbookType is null ? null : Enum.Parse<Sma.Engine.Model.RunbookType>(RunbookType, ignoreCase: true),
            SetRunbookWorker = bound.ContainsKey(nameof(RunbookWorker)),
            RunbookWorker = string.IsNullOrWhiteSpace(RunbookWorker) ? null : RunbookWorker,
        };
        ForEachRunbook(runbook =>
        {
            if (!ShouldProcess(runbook.RunbookName, "Change runbook configuration"))
                return;
            var updated = Remote?.Configure(runbook, changes) ?? Runbooks.Configure(runbook, changes);
            if (PassThru)
                WriteObject(updated);
        });
    }
}
