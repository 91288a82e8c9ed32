using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Gets runbooks from the store.</summary>
/// <remarks>
/// <para>
/// Without parameters, Get-SmaRunbook returns every runbook in the store. -Name selects runbooks by name, in any case,
/// with wildcards; a name without wildcards that no runbook has is a non-terminating error (RunbookNotFound) and the
/// other names are still looked up, while a pattern that matches nothing returns nothing. -Id selects runbooks by their
/// RunbookID (an id no runbook has is a non-terminating RunbookNotFound error too). Names may use any Unicode letters.
/// </para>
/// <para>
/// A runbook shows its settings (RunbookType, LogVerbose, LogProgress, LogDebug, RunbookWorker, Description, Tags) and
/// its versions: PublishedRunbookVersionID is the version new jobs run, DraftRunbookVersionID the draft waiting to be
/// published. Times are UTC.
/// </para>
/// </remarks>
/// <returns>Runbooks, one per match.</returns>
/// <seealso cref="ImportSmaRunbookCommand"/>
/// <seealso cref="SetSmaRunbookConfigurationCommand"/>
/// <seealso cref="GetSmaRunbookDefinitionCommand"/>
[Cmdlet(VerbsCommon.Get, "SmaRunbook", DefaultParameterSetName = ByName)]
[OutputType(typeof(Runbook))]
public sealed class GetSmaRunbookCommand : SmaCmdlet
{
    private const string ByName = "ByName";
    private const string ById = "ById";

    #region Parameters

    /// <summary>
    /// The names of the runbooks (any case; wildcards allowed). Omitted: every runbook. A name without wildcards that no
    /// runbook has is a non-terminating error (RunbookNotFound). Also taken from the pipeline, from a Name or RunbookName
    /// property (jobs have one).
    /// </summary>
    [Parameter(Position = 0, ParameterSetName = ByName, ValueFromPipelineByPropertyName = true)]
    [Alias("RunbookName")]
    [ArgumentCompleter(typeof(RunbookNameCompleter))]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    /// <summary>
    /// The ids of the runbooks (their RunbookID). Also taken from the pipeline, from an Id or RunbookId property.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = ById, ValueFromPipelineByPropertyName = true)]
    [Alias("RunbookId")]
    public Guid[] Id { get; set; } = Array.Empty<Guid>();

    #endregion

    protected override bool WorksRemotely => true;

    protected override void Process()
    {
        var remote = Remote;
        if (ParameterSetName == ById)
        {
            foreach (var id in Id)
                PerItem(() => WriteObject(remote?.GetRunbook(id) ?? Runbooks.Get(id)));
            return;
        }
        IReadOnlyList<Runbook> List() => remote?.ListRunbooks() ?? Runbooks.List();
        if (Name is null)
        {
            WriteObject(List(), enumerateCollection: true);
            return;
        }
        foreach (var name in Name)
        {
            if (!WildcardPattern.ContainsWildcardCharacters(name))
            {
                PerItem(() => WriteObject(remote?.GetRunbook(name) ?? Runbooks.Get(name)));
                continue;
            }
            var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
            WriteObject(List().Where(r => pattern.IsMatch(r.RunbookName)), enumerateCollection: true);
        }
    }
}
