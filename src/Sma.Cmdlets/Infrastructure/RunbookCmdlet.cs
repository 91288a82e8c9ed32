using System.Management.Automation;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Infrastructure;

/// <summary>
/// Base of the cmdlets that act on one runbook per call (Start-SmaRunbook, Edit-SmaRunbook) named by -Name (alias
/// RunbookName, tab-completed) or -Id (alias RunbookId), both also taken from the pipeline by property name.
/// </summary>
public abstract class RunbookCmdlet : SmaCmdlet
{
    protected const string ByName = "ByName";
    protected const string ById = "ById";

    #region Parameters

    /// <summary>
    /// The name of the runbook (any case; tab completion offers the runbooks in the store). Also taken from the
    /// pipeline, from a Name or RunbookName property (runbooks and jobs have one).
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByName, ValueFromPipelineByPropertyName = true)]
    [Alias("RunbookName")]
    [ArgumentCompleter(typeof(RunbookNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>The id of the runbook (its RunbookID). Also taken from the pipeline, from an Id or RunbookId property.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ById, ValueFromPipelineByPropertyName = true)]
    [Alias("RunbookId")]
    public Guid Id { get; set; }

    #endregion

    /// <summary>The runbook the call names; null once a non-terminating RunbookNotFound has been written.</summary>
    protected Runbook? FindSelectedRunbook() => Remote is { } remote
        ? PerItem(() => ParameterSetName == ById ? remote.GetRunbook(Id) : remote.GetRunbook(Name))
        : PerItem(() => ParameterSetName == ById ? Runbooks.Get(Id) : Runbooks.Get(Name));
}
