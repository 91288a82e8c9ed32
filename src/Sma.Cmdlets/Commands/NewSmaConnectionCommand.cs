using System.Collections;
using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Creates a connection asset of a connection type.</summary>
/// <remarks>
/// Creates a connection: a set of field values of a connection type — the built-in Generic type, or one an
/// integration module registered (Get-SmaConnectionType lists them). Every field given must be one of the type's
/// fields and convertible to its type, and every required field must be given. Fields the type marks encrypted are
/// stored encrypted and never shown. A name that exists already is refused (ConnectionAlreadyExists); change fields
/// with Set-SmaConnectionFieldValue. Jobs read the connection as a hashtable with Get-AutomationConnection.
/// </remarks>
/// <returns>The new connection, with its field values (encrypted fields show ********).</returns>
/// <seealso cref="GetSmaConnectionCommand"/>
/// <seealso cref="SetSmaConnectionFieldValueCommand"/>
/// <seealso cref="RemoveSmaConnectionCommand"/>
[Cmdlet(VerbsCommon.New, "SmaConnection", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(SmaConnection))]
public sealed class NewSmaConnectionCommand : AssetCmdlet
{
    #region Parameters

    /// <summary>The connection's name (unique, in any case).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>The connection type: Generic, or one an integration module registered.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string ConnectionTypeName { get; set; } = "";

    /// <summary>Field name to value; fields of the type not given are left empty (the required ones must be given).</summary>
    [Parameter(Position = 2, ValueFromPipelineByPropertyName = true)]
    public Hashtable? ConnectionFieldValues { get; set; }

    /// <summary>A description of the connection.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Description { get; set; }

    #endregion

    protected override bool WorksRemotely => true;

    protected override void Process()
    {
        if (ShouldProcess(Name, $"Create connection of type '{ConnectionTypeName}'"))
            WriteObject(Remote?.NewConnection(Name, ConnectionTypeName, ConnectionFieldValues, Description)
                ?? Assets.NewConnection(Name, ConnectionTypeName, ConnectionFieldValues, Description));
    }
}
