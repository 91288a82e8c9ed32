using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Gets the integration modules in the store.</summary>
/// <remarks>
/// Lists the store's integration modules with their manifest version, store version (one more for each import of the
/// name), the connection types they registered, and their size. A name that matches no module is a non-terminating
/// ModuleNotFound error.
/// </remarks>
/// <returns>
/// Integration modules in the store: ModuleName, ModuleVersion, StoreVersion (the number of the import), the
/// ConnectionTypes it registered, Size, Sha256 and its times.
/// </returns>
/// <seealso cref="ImportSmaModuleCommand"/>
/// <seealso cref="RemoveSmaModuleCommand"/>
[Cmdlet(VerbsCommon.Get, "SmaModule", DefaultParameterSetName = ByName)]
[OutputType(typeof(SmaModule))]
public sealed class GetSmaModuleCommand : AssetCmdlet
{
    private const string ByName = "ByModuleName";
    private const string ById = "ByModuleId";

    #region Parameters

    /// <summary>Module names; wildcards are allowed. Omitted: every module.</summary>
    [Parameter(Position = 0, ParameterSetName = ByName, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ModuleName")]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Module ids.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ById, ValueFromPipelineByPropertyName = true)]
    [Alias("ModuleId")]
    public Guid[] Id { get; set; } = Array.Empty<Guid>();

    #endregion

    protected override bool WorksRemotely => true;

    protected override void Process()
    {
        var remote = Remote;
        if (ParameterSetName == ById)
        {
            foreach (var id in Id)
                PerItem(() => WriteObject(remote is null ? Modules.Get(id) : remote.GetModule(id)));
            return;
        }
        if (remote is null)
            WriteByName(Name, Modules.List, m => m.ModuleName, Modules.Get);
        else
            WriteByName(Name, remote.ListModules, m => m.ModuleName, remote.GetModule);
    }
}
