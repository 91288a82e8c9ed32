using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>
/// Imports a PowerShell script, or SMA Workflow source (<c>workflow Name { ... }</c>, translated to PowerShell 7), as a
/// runbook: a draft, or published with -Publish.
/// </summary>
[Cmdlet(VerbsData.Import, "SmaRunbook", SupportsShouldProcess = true)]
[OutputType(typeof(Runbook))]
public sealed class ImportSmaRunbookCommand : SmaCmdlet
{
    #region Parameters

    /// <summary>The script file(s) to import; wildcards are allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("RunbookPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>
    /// The runbook's name. Defaults to the workflow's name for Workflow source (SMA's rule), else the file's base name.
    /// In a file with several workflows it also picks the one the runbook runs (else the one named like the file,
    /// else the only one); the others become helpers it can call.
    /// </summary>
    [Parameter]
    [Alias("RunbookName")]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>Tags, stored comma-separated as SMA does.</summary>
    [Parameter]
    public string[]? Tags { get; set; }

    /// <summary>
    /// Script (a terminating error fails the job) or Workflow (it suspends the job, resumable). Defaults to Workflow
    /// for Workflow source, else Script.
    /// </summary>
    [Parameter]
    [ValidateSet("Script", "Workflow", IgnoreCase = true)]
    public string? RunbookType { get; set; }

    /// <summary>A description of the runbook.</summary>
    [Parameter]
    public string? Description { get; set; }

    /// <summary>Publish the imported version at once, so it can be started.</summary>
    [Parameter]
    public SwitchParameter Publish { get; set; }

    #endregion

    protected override void Process()
    {
        var paths = WildcardPattern.ContainsWildcardCharacters(Path)
            ? GetResolvedProviderPathFromPSPath(Path, out _).ToList()
            : new List<string> { GetUnresolvedProviderPathFromPSPath(Path) };
        foreach (var path in paths)
        {
            if (!ShouldProcess(Name ?? path, $"Import runbook from '{path}'"))
                continue;
            WriteObject(Runbooks.Import(
                path, Name, RunbookType is null ? null : Enum.Parse<Sma.Engine.Model.RunbookType>(RunbookType, ignoreCase: true),
                Description, Tags is null ? null : string.Join(",", Tags), Publish));
        }
    }
}
