using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>
/// A runbook's source: its draft or published version by name or id, or the exact version a job ran
/// (<c>Get-SmaJob -Id $id | Get-SmaRunbookDefinition</c>), also after the runbook was edited.
/// </summary>
[Cmdlet(VerbsCommon.Get, "SmaRunbookDefinition", DefaultParameterSetName = ByVersion)]
[OutputType(typeof(RunbookDefinition))]
public sealed class GetSmaRunbookDefinitionCommand : SmaCmdlet
{
    private const string ByName = "ByName";
    private const string ById = "ById";
    private const string ByVersion = "ByVersion";

    #region Parameters

    /// <summary>The runbook's name.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByName, ValueFromPipelineByPropertyName = true)]
    [Alias("RunbookName")]
    [ArgumentCompleter(typeof(RunbookNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>The runbook's id.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ById)]
    [Alias("RunbookId")]
    public Guid Id { get; set; }

    /// <summary>Draft or Published (default).</summary>
    [Parameter(ParameterSetName = ByName)]
    [Parameter(ParameterSetName = ById)]
    [ValidateSet("Draft", "Published", IgnoreCase = true)]
    public string Type { get; set; } = "Published";

    /// <summary>A version id, e.g. a job's RunbookVersionId.</summary>
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
        var runbook = ResolveRunbook(ParameterSetName == ByName ? Name : null, Id);
        WriteObject(Runbooks.GetDefinition(runbook, Type.Equals("Draft", StringComparison.OrdinalIgnoreCase)));
    }
}
