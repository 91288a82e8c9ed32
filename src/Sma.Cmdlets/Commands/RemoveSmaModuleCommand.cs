using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Removes integration modules from the store, and their connection types.</summary>
/// <remarks>
/// Deletes a module with the connection type it registered; workers remove their copy before their next job. A module
/// whose connection type a connection still uses is not removed: that is a non-terminating ModuleConnectionTypeInUse
/// error naming the connections (remove them first). A name that matches no module is a non-terminating
/// ModuleNotFound error.
/// </remarks>
/// <seealso cref="GetSmaModuleCommand"/>
[Cmdlet(VerbsCommon.Remove, "SmaModule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByName)]
public sealed class RemoveSmaModuleCommand : AssetCmdlet
{
    private const string ByName = "ByModuleName";
    private const string ById = "ByModuleId";

    #region Parameters

    /// <summary>The module's name.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByName, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ModuleName")]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>The module's id.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ById, ValueFromPipelineByPropertyName = true)]
    [Alias("ModuleId")]
    public Guid Id { get; set; }

    #endregion

    protected override bool WorksRemotely => true;

    protected override void Process() => PerItem(() =>
    {
        var remote = Remote;
        SmaModule module = ParameterSetName == ById ? remote?.GetModule(Id) ?? Modules.Get(Id) : remote?.GetModule(Name) ?? Modules.Get(Name);
        if (!ShouldProcess(module.ModuleName, "Remove integration module"))
            return;
        if (remote is not null)
            remote.RemoveModule(module);
        else
            Modules.Remove(module);
    }, "ModuleConnectionTypeInUse");
}
