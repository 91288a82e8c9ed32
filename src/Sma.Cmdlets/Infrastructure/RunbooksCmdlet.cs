using System.Management.Automation;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Infrastructure;

/// <summary>
/// Base of the cmdlets that act on each of several runbooks named by -Name (alias RunbookName, tab-completed) or -Id
/// (alias RunbookId), both also taken from the pipeline by property name. A runbook that is not found, or refuses the
/// action, is a non-terminating error and the others are still acted on.
/// </summary>
public abstract class RunbooksCmdlet : SmaCmdlet
{
    protected const string ByName = "ByName";
    protected const string ById = "ById";

    #region Parameters

    /// <summary>
    /// The names of the runbooks (any case; tab completion offers the runbooks in the store). Also taken from the
    /// pipeline, from a Name or RunbookName property (runbooks and jobs have one).
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByName, ValueFromPipelineByPropertyName = true)]
    [Alias("RunbookName")]
    [ArgumentCompleter(typeof(RunbookNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>The ids of the runbooks (their RunbookID). Also taken from the pipeline, from an Id or RunbookId property.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ById, ValueFromPipelineByPropertyName = true)]
    [Alias("RunbookId")]
    public Guid[] Id { get; set; } = Array.Empty<Guid>();

    #endregion

    /// <summary>Runs <paramref name="action"/> on each runbook the call names, one <see cref="SmaCmdlet.PerItem"/> each.</summary>
    protected void ForEachRunbook(Action<Runbook> action)
    {
        var remote = Remote;
        if (ParameterSetName == ById)
        {
            foreach (var id in Id)
                PerItem(() => action(remote?.GetRunbook(id) ?? Runbooks.Get(id)));
            return;
        }
        foreach (var name in Name)
            PerItem(() => action(remote?.GetRunbook(name) ?? Runbooks.Get(name)));
    }
}
