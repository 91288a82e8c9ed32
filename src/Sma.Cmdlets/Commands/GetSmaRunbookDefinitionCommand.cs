using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>
/// Runbooks' source: their draft or published version by name or id, or the exact version a job ran
/// (<c>Get-SmaJob -Id $id | Get-SmaRunbookDefinition</c>), also after the runbook was edited.
/// </summary>
[Cmdlet(VerbsCommon.Get, "SmaRunbookDefinition", DefaultParameterSetName = ByVersion)]
[OutputType(typeof(RunbookDefinition))]
public sealed class GetSmaRunbookDefinitionCommand : RunbooksCmdlet
{
    private const string ByVersion = "ByVersion";

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

    #endregion

    protected override void Process()
    {
        if (ParameterSetName == ByVersion)
        {
            PerItem(() => WriteObject(Runbooks.GetDefinition(VersionId)));
            return;
        }
        var draft = Type.Equals("Draft", StringComparison.OrdinalIgnoreCase);
        ForEachRunbook(runbook => WriteObject(Runbooks.GetDefinition(runbook, draft)));
    }
}
