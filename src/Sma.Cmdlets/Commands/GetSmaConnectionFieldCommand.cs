using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Gets the fields of connection types.</summary>
/// <remarks>
/// Lists the fields of the given connection types: name, .NET type, whether the value is stored encrypted and whether
/// it may be left out. An unknown type is a non-terminating ConnectionTypeNotFound error.
/// </remarks>
/// <returns>The fields of a connection type: Name, ConnectionTypeName, TypeName, IsEncrypted and IsOptional.</returns>
/// <seealso cref="GetSmaConnectionTypeCommand"/>
/// <seealso cref="NewSmaConnectionCommand"/>
[Cmdlet(VerbsCommon.Get, "SmaConnectionField")]
[OutputType(typeof(SmaConnectionField))]
public sealed class GetSmaConnectionFieldCommand : AssetCmdlet
{
    #region Parameters

    /// <summary>The connection types whose fields to list.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public string[] ConnectionTypeName { get; set; } = Array.Empty<string>();

    #endregion

    protected override bool WorksRemotely => true;

    protected override void Process()
    {
        foreach (var name in ConnectionTypeName)
            PerItem(() => WriteObject((Remote?.GetConnectionType(name) ?? Assets.GetConnectionType(name)).Fields, enumerateCollection: true));
    }
}
