using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Creates or changes a variable asset.</summary>
/// <remarks>
/// Sets a variable's value: a string, an integer, a Boolean, a DateTime or a hashtable. A new variable is created;
/// an existing one keeps its type (a value of another type is refused unless -Force) and its encryption, which is
/// fixed when the variable is created, as in SMA: -Encrypted on an existing variable that is not encrypted (or
/// -Encrypted:$false on an encrypted one) is refused. An encrypted variable's value is stored encrypted with the
/// store's key and never shown; jobs read it with Get-AutomationVariable.
/// </remarks>
/// <returns>The variable as stored (an encrypted one shows IsEncrypted and no value).</returns>
/// <seealso cref="GetSmaVariableCommand"/>
/// <seealso cref="RemoveSmaVariableCommand"/>
[Cmdlet(VerbsCommon.Set, "SmaVariable", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(SmaVariable))]
public sealed class SetSmaVariableCommand : AssetCmdlet
{
    #region Parameters

    /// <summary>The variable's name (unique, in any case).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>The value: a string, an integer, a Boolean, a DateTime or a hashtable.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    public object Value { get; set; } = "";

    /// <summary>A description of the variable; omitted, an existing variable keeps its own.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Description { get; set; }

    /// <summary>Store the value encrypted and never show it (only when the variable is created).</summary>
    [Parameter]
    public SwitchParameter Encrypted { get; set; }

    /// <summary>Replace an existing variable's value even when the new value is of another type.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Return the variable after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    #endregion

    protected override bool WorksRemotely => true;

    protected override void Process()
    {
        if (!ShouldProcess(Name, "Set variable"))
            return;
        bool? encrypted = MyInvocation.BoundParameters.ContainsKey(nameof(Encrypted)) ? Encrypted.IsPresent : null;
        var variable = Remote is { } remote
            ? remote.SetVariable(Name, Value, Description, encrypted)
            : Assets.SetVariable(Name, Value, Description, encrypted, Force);
        if (PassThru)
            WriteObject(variable);
    }
}
