using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;

namespace Sma.Cmdlets.Commands;

/// <summary>Removes a runbook. Its jobs and the versions they ran are kept, so their history still shows the source.</summary>
[Cmdlet(VerbsCommon.Remove, "SmaRunbook", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByName)]
public sealed class RemoveSmaRunbookCommand : SmaCmdlet
{
    private const string ByName = "ByName";
    private const string ById = "ById";

    #region Parameters

    /// <summary>The runbook's name.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByName, ValueFromPipelineByPropertyName = true)]
    [Alias("RunbookName")]
    [ArgumentCompleter(typeof(RunbookNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>The runbook's id.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ById, ValueFromPipelineByPropertyName = true)]
    [Alias("RunbookId")]
    public Guid Id { get; set; }

    #endregion

    protected override void Process()
    {
        var runbook = ResolveRunbook(ParameterSetName == ByName ? Name : null, Id);
        if (ShouldProcess(runbook.RunbookName, "Remove runbook"))
            Runbooks.Remove(runbook);
    }
}
