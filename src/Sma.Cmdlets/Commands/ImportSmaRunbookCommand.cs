using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine;
using Sma.Engine.Model;
using Sma.Engine.Services;

namespace Sma.Cmdlets.Commands;

/// <summary>Imports PowerShell script files and SMA Workflow source into the store as runbooks.</summary>
/// <remarks>
/// <para>
/// Import-SmaRunbook reads each file -Path names (wildcards allowed; files can be piped in) and adds it to the
/// store as a runbook whose draft version holds the file's source. The runbook is named after the file's base name
/// (Hello for Hello.ps1), or for Workflow source after the workflow, unless you give -Name. Runbook names are unique
/// in any case and use letters (of any language), digits, '-' and '_', starting with a letter; an invalid -Name stops
/// the command before any file is read (InvalidRunbookName).
/// </para>
/// <para>
/// The source is parsed with the PowerShell parser first. A file with syntax errors is refused with the line and column
/// of each error (RunbookSyntaxError), and so is a missing, empty or binary file; nothing is stored for it.
/// </para>
/// <para>
/// PowerShell Workflow source (workflow Name { ... }), which PowerShell 7 cannot run itself, is accepted: it is translated
/// to PowerShell 7 script at import (Get-SmaRunbookDefinition -Translated shows it), the runbook is a Workflow runbook
/// and is named after the workflow. In a file with several workflows the one named by -Name runs, else the one named
/// like the file, else the only one; the others become helpers it can call. Script outside the workflows is refused
/// with its line (WorkflowScriptOutsideWorkflow and the other Workflow* errors).
/// </para>
/// <para>
/// A file that cannot be imported is a non-terminating error: the other files are still imported, and -ErrorAction
/// decides what the error does. Importing a name that already exists is such an error (RunbookAlreadyExists) unless you
/// add -Force: then the file's source becomes a new draft version of the existing runbook, which keeps its id, its
/// settings and its jobs (a draft it had is replaced) and takes -Description, -Tags and -RunbookType only where given.
/// </para>
/// <para>
/// Only a published runbook can be started. Add -Publish to publish the imported version at once, or run
/// Publish-SmaRunbook later.
/// </para>
/// </remarks>
/// <returns>
/// The runbook as imported (one per file). With -Publish its PublishedRunbookVersionID is set; otherwise the source is
/// its draft (DraftRunbookVersionID).
/// </returns>
/// <seealso cref="PublishSmaRunbookCommand"/>
/// <seealso cref="EditSmaRunbookCommand"/>
/// <seealso cref="GetSmaRunbookCommand"/>
/// <seealso cref="StartSmaRunbookCommand"/>
[Cmdlet(VerbsData.Import, "SmaRunbook", SupportsShouldProcess = true)]
[OutputType(typeof(Runbook))]
public sealed class ImportSmaRunbookCommand : SmaCmdlet
{
    #region Parameters

    /// <summary>
    /// The script file to import. Wildcards are allowed: each matching file becomes a runbook of its own. Also taken
    /// from the pipeline, by value or from a FullName property, so files from Get-ChildItem can be piped in.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("RunbookPath", "FullName")]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
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

    /// <summary>Tags for the runbook, stored comma-separated as SMA does.</summary>
    [Parameter]
    public string[]? Tags { get; set; }

    /// <summary>
    /// What a terminating error does to the runbook's jobs: Script (the default for a new script runbook) fails the job;
    /// Workflow (the default for Workflow source)
    /// suspends it, so that it can be resumed from its last checkpoint with Resume-SmaJob once the cause is
    /// fixed. With -Force on an existing runbook, omitted keeps its type.
    /// </summary>
    [Parameter]
    [ValidateSet("Script", "Workflow", IgnoreCase = true)]
    public string? RunbookType { get; set; }

    /// <summary>A description of the runbook.</summary>
    [Parameter]
    public string? Description { get; set; }

    /// <summary>Publishes the imported version at once, so that the runbook can be started.</summary>
    [Parameter]
    public SwitchParameter Publish { get; set; }

    /// <summary>
    /// Replaces the source of a runbook of the same name instead of refusing it: the file's source becomes its new draft
    /// version (replacing any draft; published too with -Publish), and the runbook keeps its id, settings and jobs and
    /// takes -Description, -Tags and -RunbookType if given.
    /// </summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    #endregion

    protected override bool WorksRemotely => true;

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
        if (Remote is { } remote)
        {
            foreach (var path in paths)
            {
                var name = Name ?? RunbookService.DefaultName(path);
                PerItem(() =>
                {
                    if (Force && remote.FindRunbook(name) is { } existing)
                    {
                        if (ShouldProcess(existing.RunbookName, $"Replace the runbook's source with '{path}' (a new version) on {remote.Endpoint}"))
                            WriteObject(remote.Replace(existing, path, type, Description, tags, Publish));
                        return;
                    }
                    if (ShouldProcess(name, $"Import runbook from '{path}' into {remote.Endpoint}"))
                        WriteObject(remote.Import(path, name, type, Description, tags, Publish));
                });
            }
            return;
        }
        foreach (var path in paths)
        {
            var name = Name ?? RunbookService.DefaultName(path);
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
