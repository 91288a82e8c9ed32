using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Gets the source of a runbook version: published, draft, the exact version a job ran, or its child runbooks.</summary>
/// <remarks>
/// <para>
/// With -Name or -Id, Get-SmaRunbookDefinition returns the published source of each runbook named, or its draft with
/// -Type Draft. A runbook that is not found or lacks the version asked for is a non-terminating error
/// (RunbookNotFound, RunbookNotPublished, RunbookHasNoDraft) and the other runbooks are still returned.
/// </para>
/// <para>
/// With -VersionId it returns that exact version. Every version a job ran is kept, also after the runbook is edited or
/// removed, so piping a job in (its RunbookVersionId binds to -VersionId) shows the source the job ran.
/// </para>
/// <para>
/// With -Translated it returns the PowerShell 7 script that a Workflow runbook's source was translated into at import
/// (the lines of the original source are kept, so positions match); a Script runbook's source is returned as it is.
/// </para>
/// <para>
/// With -Children it returns, for the job given by -JobId (or piped in), the versions of the inline child runbooks the
/// job ran: the published runbooks its source calls by name, resolved at any depth when the job was started and kept
/// with the job, in the order they were resolved. A job that called no other runbook gives nothing.
/// </para>
/// <para>
/// Through a remote -WebServiceEndpoint every form works through the server's web service and returns the same
/// definitions: the source is RunbookVersions(guid'…')/$value, the translation RunbookVersions(guid'…')/GetTranslatedContent,
/// and a job's child versions Jobs(guid'…')/ChildRunbooks.
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
public sealed class GetSmaRunbookDefinitionCommand : RunbooksCmdlet
{
    private const string ByVersion = "ByVersion";
    private const string ByJob = "ByJob";

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

    protected override bool WorksRemotely => true;

    protected override void Process()
    {
        var remote = Remote;
        if (ParameterSetName == ByJob)
        {
            var jobId = ParseJobId(JobId);
            PerItem(() => WriteObject(remote?.GetChildDefinitions(jobId, Translated) ?? Runbooks.GetChildDefinitions(jobId, Translated),
                enumerateCollection: true));
            return;
        }
        if (ParameterSetName == ByVersion)
        {
            PerItem(() => WriteObject(remote?.GetDefinition(VersionId, Translated) ?? Runbooks.GetDefinition(VersionId, Translated)));
            return;
        }
        var draft = Type.Equals("Draft", StringComparison.OrdinalIgnoreCase);
        ForEachRunbook(runbook => WriteObject(remote?.GetDefinition(runbook, draft, Translated) ?? Runbooks.GetDefinition(runbook, draft, Translated)));
    }
}
