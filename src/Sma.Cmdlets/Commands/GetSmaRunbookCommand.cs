using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Lists runbooks, by name (wildcards) or id.</summary>
[Cmdlet(VerbsCommon.Get, "SmaRunbook", DefaultParameterSetName = ByName)]
[OutputType(typeof(Runbook))]
public sealed class GetSmaRunbookCommand : SmaCmdlet
{
    private const string ByName = "ByName";
    private const string ById = "ById";

    #region Parameters

    /// <summary>Runbook names; wildcards are allowed. Omitted: every runbook. A name without wildcards that no runbook has is a non-terminating RunbookNotFound error.</summary>
    [Parameter(Position = 0, ParameterSetName = ByName, ValueFromPipelineByPropertyName = true)]
    [Alias("RunbookName")]
    [ArgumentCompleter(typeof(RunbookNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Runbook ids.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ById, ValueFromPipelineByPropertyName = true)]
    [Alias("RunbookId")]
    public Guid[] Id { get; set; } = Array.Empty<Guid>();

    #endregion

    protected override void Process()
    {
        if (ParameterSetName == ById)
        {
            foreach (var id in Id)
                PerItem(() => WriteObject(Runbooks.Get(id)));
            return;
        }
        if (Name is null)
        {
            WriteObject(Runbooks.List(), enumerateCollection: true);
            return;
        }
        foreach (var name in Name)
        {
            if (!WildcardPattern.ContainsWildcardCharacters(name))
            {
                PerItem(() => WriteObject(Runbooks.Get(name)));
                continue;
            }
            var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
            WriteObject(Runbooks.List().Where(r => pattern.IsMatch(r.RunbookName)), enumerateCollection: true);
        }
    }
}
