using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>
/// Runbooks' source: their draft or published version by name or id, or the exact version a job ran
/// (<c>Get-SmaJob -Id $id | Get-SmaRunbookDefinition</c>), also after the runbook was edited. With -Children, the
/// versions of the inline child runbooks the job ran (<c>Get-SmaJob -Id $id | Get-SmaRunbookDefinition -Children</c>).
/// With -Translated, the PowerShell 7 script a Workflow source runs as.
/// </summary>
[Cmdlet(VerbsCommon.Get, "SmaRunbookDefinition", DefaultParameterSetName = ByVersion)]
[OutputType(typeof(RunbookDefinition))]
public sealed class GetSmaRunbookDefinitionCommand : RunbooksCmdlet
{
    private const string ByVersion = "ByVersion";
    private const string ByJob = "ByJob";

    #region Parameters

    /// <summary>Draft or Published (default).</summary>
    [Parameter(ParameterSetName = ByName)]
    [Parameter(ParameterSetName = ById)]
    [ValidateSet("Draft", "Published", IgnoreCase = true)]
    public string Type { get; set; } = "Published";

    /// <summary>A version id, e.g. a job's RunbookVersionId.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByVersion, ValueFromPipelineByPropertyName = true)]
    [Alias("RunbookVersionId")]
    public Guid VersionId { get; set; }

    /// <summary>
    /// With -Children: the job whose inline child runbooks to list (a Guid, a job object or its text; a job piped in
    /// binds by its JobId).
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = ByJob, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string JobId { get; set; } = "";

    /// <summary>
    /// List the versions of the inline child runbooks the job ran (resolved when it was started, at any depth), in the
    /// order they were resolved, instead of the runbook's own source. Nothing when the job called no other runbook.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = ByJob)]
    public SwitchParameter Children { get; set; }

    /// <summary>
    /// The text the version's jobs run: for Workflow source, its PowerShell 7 translation (every statement on its
    /// original line); for a script, the script itself. With -Children, the same for each child version.
    /// </summary>
    [Parameter]
    public SwitchParameter Translated { get; set; }

    #endregion

    protected override void Process()
    {
        if (ParameterSetName == ByJob)
        {
            var jobId = ParseJobId(JobId);
            PerItem(() => WriteObject(Runbooks.GetChildDefinitions(jobId, Translated), enumerateCollection: true));
            return;
        }
        if (ParameterSetName == ByVersion)
        {
            PerItem(() => WriteObject(Runbooks.GetDefinition(VersionId, Translated)));
            return;
        }
        var draft = Type.Equals("Draft", StringComparison.OrdinalIgnoreCase);
        ForEachRunbook(runbook => WriteObject(Runbooks.GetDefinition(runbook, draft, Translated)));
    }
}
