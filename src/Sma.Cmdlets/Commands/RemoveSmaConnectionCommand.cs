using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;

namespace Sma.Cmdlets.Commands;

/// <summary>Removes connection assets.</summary>
/// <remarks>
/// Deletes connections by name, with their field values. A name that matches no connection is a non-terminating
/// ConnectionNotFound error. Removing the last connections of a module's connection type lets the module be removed.
/// </remarks>
/// <seealso cref="GetSmaConnectionCommand"/>
[Cmdlet(VerbsCommon.Remove, "SmaConnection", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class RemoveSmaConnectionCommand : AssetCmdlet
{
    #region Parameters

    /// <summary>The names of the connections to remove.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = Array.Empty<string>();

    #endregion

    protected override bool WorksRemotely => true;

    protected override void Process()
    {
        if (Remote is { } remote)
            RemoveByName(Name, "connection", remote.GetConnection, found => found.Name, remote.RemoveConnection);
        else
            RemoveByName(Name, "connection", name => Assets.GetConnection(name).Name, Assets.RemoveConnection);
    }
}
