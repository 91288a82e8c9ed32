using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;
using Sma.Engine.Store;

namespace Sma.Cmdlets.Commands;

/// <summary>Changes runbooks' settings: logging of Verbose/Progress/Debug, description, tags, worker, type.</summary>
[Cmdlet(VerbsCommon.Set, "SmaRunbookConfiguration", SupportsShouldProcess = true, DefaultParameterSetName = ByName)]
[OutputType(typeof(Runbook))]
public sealed class SetSmaRunbookConfigurationCommand : RunbooksCmdlet
{

    #region Parameters

    /// <summary>Record Verbose records of new jobs (and set $VerbosePreference = 'Continue' in them).</summary>
    [Parameter]
    public bool LogVerbose { get; set; }

    /// <summary>Record Progress records of new jobs.</summary>
    [Parameter]
    public bool LogProgress { get; set; }

    /// <summary>Record Debug records of new jobs (and set $DebugPreference = 'Continue' in them).</summary>
    [Parameter]
    public bool LogDebug { get; set; }

    /// <summary>The runbook's description.</summary>
    [Parameter]
    public string? Description { get; set; }

    /// <summary>Tags, stored comma-separated as SMA does.</summary>
    [Parameter]
    public string[]? Tags { get; set; }

    /// <summary>The worker every job of this runbook must run on; $null or '' for any worker.</summary>
    [Parameter]
    [AllowNull]
    [AllowEmptyString]
    public string? RunbookWorker { get; set; }

    /// <summary>Script (a terminating error fails the job) or Workflow (it suspends the job).</summary>
    [Parameter]
    [ValidateSet("Script", "Workflow", IgnoreCase = true)]
    public string? RunbookType { get; set; }

    /// <summary>Return each runbook after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    #endregion

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
            var updated = Runbooks.Configure(runbook, changes);
            if (PassThru)
                WriteObject(updated);
        });
    }
}
