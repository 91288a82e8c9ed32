namespace Sma.Engine.Store;

/// <summary>
/// Persistence of integration modules: their files (versioned: every import of a name is the next version) and the
/// connection types they register. Every change moves <see cref="ModulesGeneration"/>, which workers watch.
/// </summary>
public interface IModuleStore
{
    /// <summary>The store's random identity; workers keep their copy of its modules in a folder named after it.</summary>
    string StoreId { get; }

    /// <summary>A number that changes whenever a module is imported or removed.</summary>
    long ModulesGeneration();

    StoredModule? FindModule(string name);
    StoredModule? FindModule(Guid id);
    IReadOnlyList<StoredModule> ListModules();
    ModuleContent? ReadModuleContent(Guid id);

    /// <summary>
    /// Adds the module, or its next version, with its connection type, in one transaction. Refused (nothing changes)
    /// when the type's name belongs to another module or is built in (ConnectionTypeExists), or when the new version
    /// drops a type that connections use (ModuleConnectionTypeInUse).
    /// </summary>
    StoredModule SaveModule(ModuleWrite module);

    /// <summary>Removes the module and its connection types; refused while connections use them (ModuleConnectionTypeInUse).</summary>
    void RemoveModule(Guid id);
}
