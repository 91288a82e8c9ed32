using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;
using Sma.Engine.Services;

namespace Sma.Cmdlets.Commands;

/// <summary>
/// Imports PowerShell scripts, or SMA Workflow source (<c>workflow Name { ... }</c>, translated to PowerShell 7), as
/// runbooks (a draft, or published with -Publish). A file that cannot be imported (missing, empty, syntax errors, a
/// name already taken without -Force) is a non-terminating error; the other files are still imported. With -Force an
/// existing runbook gets the file's source as a new version and keeps its id and jobs.
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
    /// The runbook's name (letters of any language, digits, '-' and '_'). Defaults to the workflow's name for Workflow
    /// source (SMA's rule), else the file's base name. In a file with several workflows it also picks the one the
    /// runbook runs (else the one named like the file, else the only one); the others become helpers it can call.
    /// </summary>
    [Parameter]
    [Alias("RunbookName")]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>Tags, stored comma-separated as SMA does.</summary>
    [Parameter]
    public string[]? Tags { get; set; }

    /// <summary>
    /// Script (a terminating error fails the job) or Workflow (it suspends the job, resumable). A new runbook is a
    /// Workflow runbook for Workflow source, else a Script runbook.
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

    /// <summary>
    /// Replace a runbook of the same name: the file's source becomes its new draft version (published too with
    /// -Publish); it keeps its id, settings and jobs, and takes -Description, -Tags and -RunbookType if given.
    /// </summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    #endregion

    protected override void Begin()
    {
        base.Begin();
        // A -Name the user typed is a parameter value: an invalid one fails the whole command, before any file.
        if (Name is not null)
            RunbookSource.CheckName(Name);
    }

    protected override void Process()
    {
        var paths = WildcardPattern.ContainsWildcardCharacters(Path)
            ? GetResolvedProviderPathFromPSPath(Path, out _).ToList()
            : new List<string> { GetUnresolvedProviderPathFromPSPath(Path) };
        RunbookType? type = RunbookType is null ? null : Enum.Parse<RunbookType>(RunbookType, ignoreCase: true);
        var tags = Tags is null ? null : string.Join(",", Tags);
        foreach (var path in paths)
        {
            var name = Name ?? Runbooks.DefaultName(path);
            PerItem(() =>
            {
                if (Force && Runbooks.Find(name) is { } existing)
                {
                    if (ShouldProcess(existing.RunbookName, $"Replace the runbook's source with '{path}' (a new version)"))
                        WriteObject(Runbooks.Replace(existing, path, type, Description, tags, Publish));
                    return;
                }
                if (ShouldProcess(name, $"Import runbook from '{path}'"))
                    WriteObject(Runbooks.Import(path, name, type, Description, tags, Publish));
            });
        }
    }
}
