using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Gets the source of a runbook version: published, draft, or the exact version a job ran.</summary>
/// <remarks>
/// <para>
/// With -Name or -Id, Get-SmaRunbookDefinition returns the runbook's published source, or its draft with -Type Draft;
/// asking for a version the runbook does not have is an error (RunbookNotPublished, RunbookHasNoDraft).
/// </para>
/// <para>
/// With -VersionId it returns that exact version. Every version is kept, also after the runbook is edited or removed,
/// so piping a job in (its RunbookVersionId binds to -VersionId) shows the source the job ran.
/// </para>
/// </remarks>
/// <returns>
/// A definition: Content (the source text; also its string form), RunbookName, and RunbookVersion (RunbookVersionID,
/// VersionNumber, IsDraft, CreationTime).
/// </returns>
/// <seealso cref="GetSmaJobCommand"/>
/// <seealso cref="EditSmaRunbookCommand"/>
/// <seealso cref="PublishSmaRunbookCommand"/>
[Cmdlet(VerbsCommon.Get, "SmaRunbookDefinition", DefaultParameterSetName = ByVersion)]
[OutputType(typeof(RunbookDefinition))]
public sealed class GetSmaRunbookDefinitionCommand : RunbookCmdlet
{
    private const string ByVersion = "ByVersion";

    #region Parameters

    /// <summary>Which version of the named runbook: Published (the default) or Draft.</summary>
    [Parameter(ParameterSetName = ByName)]
    [Parameter(ParameterSetName = ById)]
    [ValidateSet("Draft", "Published", IgnoreCase = true)]
    public string Type { get; set; } = "Published";

    /// <summary>
    /// The id of a runbook version, such as a job's RunbookVersionId or a runbook's PublishedRunbookVersionID. Also
    /// taken from the pipeline, from a VersionId or RunbookVersionId property (jobs have one).
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = ByVersion, ValueFromPipelineByPropertyName = true)]
    [Alias("RunbookVersionId")]
    public Guid VersionId { get; set; }

    #endregion

    protected override void Process()
    {
        if (ParameterSetName == ByVersion)
        {
            WriteObject(Runbooks.GetDefinition(VersionId));
            return;
        }
        var runbook = SelectedRunbook;
        WriteObject(Runbooks.GetDefinition(runbook, Type.Equals("Draft", StringComparison.OrdinalIgnoreCase)));
    }
}
