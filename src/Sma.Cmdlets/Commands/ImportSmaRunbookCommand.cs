using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Imports a PowerShell script file into the store as a new runbook.</summary>
/// <remarks>
/// <para>
/// Import-SmaRunbook reads a script file and adds it to the store as a runbook whose draft version holds the file's
/// source. The runbook is named after the file's base name (Hello for Hello.ps1) unless you give -Name. Runbook names
/// are unique in any case and use letters, digits, '-' and '_', starting with a letter. Importing a name that already
/// exists is an error (RunbookAlreadyExists): change an existing runbook with Edit-SmaRunbook.
/// </para>
/// <para>
/// The source is parsed with the PowerShell parser first. A file with syntax errors is refused with the line and column
/// of each error (RunbookSyntaxError), and so is an empty or binary file; nothing is stored then. PowerShell Workflow
/// source (workflow Name { ... }), which PowerShell 7 cannot run, is refused too (WorkflowSourceNotSupported): write
/// the runbook as a script and import it with -RunbookType Workflow.
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

    /// <summary>The runbook's name. The default is the file's base name.</summary>
    [Parameter]
    [Alias("RunbookName")]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>Tags for the runbook, stored comma-separated as SMA does.</summary>
    [Parameter]
    public string[]? Tags { get; set; }

    /// <summary>
    /// What a terminating error does to the runbook's jobs: Script (the default) fails the job; Workflow suspends it,
    /// so that it can be resumed from its last checkpoint with Resume-SmaJob once the cause is fixed.
    /// </summary>
    [Parameter]
    [ValidateSet("Script", "Workflow", IgnoreCase = true)]
    public string RunbookType { get; set; } = "Script";

    /// <summary>A description of the runbook.</summary>
    [Parameter]
    public string? Description { get; set; }

    /// <summary>Publishes the imported version at once, so that the runbook can be started.</summary>
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
            var name = Name ?? System.IO.Path.GetFileNameWithoutExtension(path);
            if (!ShouldProcess(name, $"Import runbook from '{path}'"))
                continue;
            WriteObject(Runbooks.Import(
                path, name, Enum.Parse<Sma.Engine.Model.RunbookType>(RunbookType, ignoreCase: true),
                Description, Tags is null ? null : string.Join(",", Tags), Publish));
        }
    }
}
