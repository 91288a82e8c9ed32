using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Replaces a runbook's draft with the source in a file (-Overwrite when a draft exists).</summary>
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

    /// <summary>Replace an existing draft.</summary>
    [Parameter]
    public SwitchParameter Overwrite { get; set; }

    #endregion

    protected override void Process()
    {
        if (FindSelectedRunbook() is not { } runbook)
            return;
        var path = GetUnresolvedProviderPathFromPSPath(Path);
        if (ShouldProcess(runbook.RunbookName, $"Replace the draft with '{path}'"))
            PerItem(() => WriteObject(Runbooks.Edit(runbook, path, Overwrite)));
    }
}
