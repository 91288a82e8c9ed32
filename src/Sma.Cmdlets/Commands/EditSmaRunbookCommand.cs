using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Replaces the draft of a runbook with the source in a file.</summary>
/// <remarks>
/// <para>
/// Edit-SmaRunbook reads a script file and stores its source as the runbook's draft version. The source is parsed
/// first: a file with syntax errors is refused with the line and column of each error (RunbookSyntaxError), and the
/// runbook is left as it was. If the runbook already has a draft, add -Overwrite to replace it (RunbookDraftExists
/// otherwise).
/// </para>
/// <para>
/// Edit-SmaRunbook acts on one runbook per call; runbooks can be piped in. A runbook that is not found, or a file it
/// refuses, is a non-terminating error that -ErrorAction controls, and nothing is changed. Import-SmaRunbook -Force
/// does the same for a runbook named after the file, replacing any draft.
/// </para>
/// <para>
/// New jobs keep running the published version until you publish the draft with Publish-SmaRunbook. Every version is
/// kept: a job's RunbookVersionId still leads to the exact source it ran (Get-SmaRunbookDefinition -VersionId).
/// </para>
/// </remarks>
/// <returns>The runbook, with its new DraftRunbookVersionID.</returns>
/// <seealso cref="PublishSmaRunbookCommand"/>
/// <seealso cref="GetSmaRunbookDefinitionCommand"/>
/// <seealso cref="ImportSmaRunbookCommand"/>
[Cmdlet(VerbsData.Edit, "SmaRunbook", SupportsShouldProcess = true, DefaultParameterSetName = ByName)]
[OutputType(typeof(Runbook))]
public sealed class EditSmaRunbookCommand : RunbookCmdlet
{

    #region Parameters

    /// <summary>
    /// The file with the new source: a script, or Workflow source (translated to PowerShell 7; in a file with several
    /// workflows, the one named like the runbook is the one it runs).
    /// </summary>
    [Parameter(Mandatory = true, Position = 1)]
    [Alias("RunbookPath")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>
    /// Replaces the runbook's draft if it has one. Without it, a runbook that has a draft is left unchanged and the
    /// command writes a RunbookDraftExists error.
    /// </summary>
    [Parameter]
    public SwitchParameter Overwrite { get; set; }

    #endregion

    protected override bool WorksRemotely => true;

    protected override void Process()
    {
        if (FindSelectedRunbook() is not { } runbook)
            return;
        var path = GetUnresolvedProviderPathFromPSPath(Path);
        if (ShouldProcess(runbook.RunbookName, $"Replace the draft with '{path}'"))
            PerItem(() => WriteObject(Remote?.Edit(runbook, path, Overwrite) ?? Runbooks.Edit(runbook, path, Overwrite)));
    }
}
