using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Makes a runbook's draft its published version, the one jobs run.</summary>
[Cmdlet(VerbsData.Publish, "SmaRunbook", SupportsShouldProcess = true, DefaultParameterSetName = ByName)]
[OutputType(typeof(Runbook))]
public sealed class PublishSmaRunbookCommand : SmaCmdlet
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
        if (ShouldProcess(runbook.RunbookName, "Publish the draft"))
            WriteObject(Runbooks.Publish(runbook));
    }
}
