using Sma.Engine.Model;
using Sma.Engine.Modules;
using Sma.Engine.Store;

namespace Sma.Engine.Services;

/// <summary>
/// Integration modules for the cmdlets: Import-SmaModule checks and stores a module (the next version of it when the
/// name exists) with the connection type of its Automation.json; workers copy the modules to their own machine before
/// they run a job (<see cref="ModuleFolder"/>).
/// </summary>
public sealed class ModuleService
{
    private readonly IModuleStore _store;

    public ModuleService(SmaRuntime runtime) => _store = runtime.Store;

    /// <summary>The module a .zip or folder holds, read and checked; nothing is stored yet.</summary>
    public static ModuleWrite Read(string path) => ModulePackage.Read(path).Write;

    /// <summary>A module uploaded as a .zip's bytes (the web service), checked as a .zip file named like it.</summary>
    public static ModuleWrite Read(byte[] content, string name) => ModulePackage.Read(content, name).Write;

    public SmaModule Import(ModuleWrite module) => ToModel(_store.SaveModule(module));

    public IReadOnlyList<SmaModule> List() => _store.ListModules().Select(ToModel).ToList();

    public SmaModule Get(string name) => ToModel(_store.FindModule(name) ?? throw SmaErrors.ModuleNotFound(name));

    public SmaModule Get(Guid id) => ToModel(_store.FindModule(id) ?? throw SmaErrors.ModuleIdNotFound(id));

    /// <summary>Removes the module and its connection types; refused while a connection uses one.</summary>
    public void Remove(SmaModule module) => _store.RemoveModule(module.ModuleID);

    private static SmaModule ToModel(StoredModule m) => new()
    {
        ModuleID = m.Id,
        ModuleName = m.Name,
        ModuleVersion = m.ModuleVersion,
        StoreVersion = m.Version,
        Description = m.Description,
        ConnectionTypes = m.ConnectionTypes,
        Size = m.Size,
        Sha256 = m.Sha256,
        CreationTime = m.CreationTime,
        LastModifiedTime = m.LastModifiedTime,
    };
}
