using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;
using Sma.Engine.Services;

namespace Sma.Cmdlets.Commands;

/// <summary>Imports an integration module (a .zip or a folder) into the store, for every worker.</summary>
/// <remarks>
/// Stores a PowerShell module so that every job can call its commands without installing anything: each worker, in
/// this process or another, on this machine or another sharing the store, copies the store's modules into a folder of
/// its own and puts it on its jobs' PSModulePath before it runs a job. The module is a .zip holding a folder named like
/// it (SMA's layout: Name.zip with Name/Name.psd1), a .zip with the module's files at its top level, or a folder; it
/// must contain Name.psd1, Name.psm1 or Name.dll. Importing a name that exists makes the next version of it. A
/// Name-Automation.json file in the module registers its connection type (SMA's format). Through a remote
/// -WebServiceEndpoint the module is read and checked here and uploaded to the server as a .zip (the Administrator
/// role; the server's body size limit, 8 MB by default, applies).
/// </remarks>
/// <returns>
/// The module as stored, one per path: ModuleName, ModuleVersion, StoreVersion and the ConnectionTypes it
/// registered.
/// </returns>
/// <seealso cref="GetSmaModuleCommand"/>
/// <seealso cref="RemoveSmaModuleCommand"/>
/// <seealso cref="GetSmaConnectionTypeCommand"/>
[Cmdlet(VerbsData.Import, "SmaModule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(SmaModule))]
public sealed class ImportSmaModuleCommand : AssetCmdlet
{
    #region Parameters

    /// <summary>The module's .zip file or folder.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "ModulePath")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    #endregion

    protected override bool WorksRemotely => true;

    protected override void Process()
    {
        var path = GetUnresolvedProviderPathFromPSPath(Path);
        var module = ModuleService.Read(path);
        if (ShouldProcess(module.Name, $"Import integration module from '{path}'"))
            WriteObject(Remote?.ImportModule(module) ?? Modules.Import(module));
    }
}
