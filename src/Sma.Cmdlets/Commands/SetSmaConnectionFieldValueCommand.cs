using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Changes one field value of a connection asset.</summary>
/// <remarks>
/// Sets a field of an existing connection to a new value, converted to the field's type; an encrypted field is stored
/// encrypted. $null clears an optional field (a required one is refused). A field the connection's type does not have
/// is an UnknownConnectionField error, and nothing changes.
/// </remarks>
/// <returns>The connection with its field values after the change (encrypted fields show ********).</returns>
/// <seealso cref="GetSmaConnectionCommand"/>
/// <seealso cref="NewSmaConnectionCommand"/>
[Cmdlet(VerbsCommon.Set, "SmaConnectionFieldValue", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(SmaConnection))]
public sealed class SetSmaConnectionFieldValueCommand : AssetCmdlet
{
    #region Parameters

    /// <summary>The connection's name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    public string ConnectionName { get; set; } = "";

    /// <summary>The field to set, one of the connection type's fields.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string ConnectionFieldName { get; set; } = "";

    /// <summary>The new value, converted to the field's type; $null clears an optional field.</summary>
    [Parameter(Mandatory = true, Position = 2)]
    [AllowNull]
    public object? Value { get; set; }

    /// <summary>Accepted for SMA's scripts: the change is made without asking unless -Confirm is given.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Return the connection (encrypted fields masked) after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    #endregion

    protected override bool WorksRemotely => true;

    protected override void Process()
    {
        if (!ShouldProcess(ConnectionName, $"Set field '{ConnectionFieldName}'"))
            return;
        var connection = Remote?.SetConnectionField(ConnectionName, ConnectionFieldName, Value)
            ?? Assets.SetConnectionField(ConnectionName, ConnectionFieldName, Value);
        if (PassThru)
            WriteObject(connection);
    }
}
