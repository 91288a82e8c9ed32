using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Gets the connection types: the built-in Generic type and those integration modules registered.</summary>
/// <remarks>
/// Lists every connection type with the module that registered it (none for the built-in Generic type) and its
/// fields. An integration module registers its type from the Name-Automation.json file it carries; the type goes away
/// with the module.
/// </remarks>
/// <returns>
/// Connection types: Name, the module that registered them (none for the built-in Generic type), and their fields.
/// </returns>
/// <seealso cref="GetSmaConnectionFieldCommand"/>
/// <seealso cref="ImportSmaModuleCommand"/>
/// <seealso cref="NewSmaConnectionCommand"/>
[Cmdlet(VerbsCommon.Get, "SmaConnectionType")]
[OutputType(typeof(SmaConnectionType))]
public sealed class GetSmaConnectionTypeCommand : AssetCmdlet
{
    #region Parameters

    /// <summary>Connection type names; wildcards are allowed. Omitted: every type.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    #endregion

    protected override bool WorksRemotely => true;

    protected override void Process()
    {
        var remote = Remote;
        Func<IReadOnlyList<SmaConnectionType>> list = remote is null ? Assets.ListConnectionTypes : remote.ListConnectionTypes;
        WriteByName(Name, list, t => t.Name, remote is null ? Assets.GetConnectionType : remote.GetConnectionType);
    }
}
