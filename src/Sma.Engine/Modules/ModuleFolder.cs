using System.IO.Compression;
using System.Runtime.CompilerServices;
using Sma.Engine.Store;

namespace Sma.Engine.Modules;

/// <summary>
/// This machine's copy of a store's integration modules: <c>&lt;root&gt;/&lt;StoreId&gt;/modules/&lt;Name&gt;/</c>, where
/// root is <c>$env:SMA_MODULES_FOLDER</c> or <c>modules</c> in the per-user Sma data folder. Before each job a worker
/// checks the store's modules generation (one small read) and, when it moved, brings the folder up to date: a changed
/// module is unpacked beside it and swapped in with a directory rename, a removed one is moved away. The folder is on
/// the process's PSModulePath (job runspaces share the process environment), so runbooks call the modules' commands
/// and PowerShell loads them on first use. Processes on one machine share the folder and take turns with a lock file.
/// </summary>
internal sealed class ModuleFolder
{
    public const string RootVariable = "SMA_MODULES_FOLDER";

    private static readonly ConditionalWeakTable<IModuleStore, ModuleFolder> ByStore = new();
    private static readonly TimeSpan LockPatience = TimeSpan.FromSeconds(60);

    private readonly IModuleStore _store;
    private readonly object _lock = new();
    private long _synced = -1;

    private ModuleFolder(IModuleStore store)
    {
        _store = store;
        var root = Environment.GetEnvironmentVariable(RootVariable) is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(StoreLocation.UserDataFolder, "modules");
        Home = Path.Combine(root, store.StoreId.Length > 0 ? store.StoreId : "store");
        ModulePath = Path.Combine(Home, "modules");
    }

    /// <summary>The store's folder on this machine (its modules, their state and a lock file).</summary>
    public string Home { get; }

    /// <summary>The folder put on PSModulePath: one subfolder per module.</summary>
    public string ModulePath { get; }

    public static ModuleFolder For(IModuleStore store) => ByStore.GetValue(store, s => new ModuleFolder(s));

    /// <summary>
    /// Brings this machine's copy up to date if the store's modules changed since the last look. A caller that has
    /// just read the store's generation (a claim returns it) passes it as <paramref name="known"/>.
    /// </summary>
    public void EnsureCurrent(long? known = null)
    {
        var generation = known ?? _store.ModulesGeneration();
        if (generation == Interlocked.Read(ref _synced))
            return;
        lock (_lock)
        {
            if (generation == _synced)
                return;
            try
            {
                Synchronize();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                throw SmaErrors.ModulesUnavailable(ModulePath, e);
            }
            Interlocked.Exchange(ref _synced, generation);
        }
    }

    private void Synchronize()
    {
        var modules = _store.ListModules();
        if (modules.Count == 0 && !Directory.Exists(ModulePath))
            return; // a store without modules leaves no trace on the machine
        CreateOwnerOnly(Home);
        Directory.CreateDirectory(ModulePath);
        var state = Directory.CreateDirectory(Path.Combine(Home, "state")).FullName;
        var work = Directory.CreateDirectory(Path.Combine(Home, "work")).FullName;
        using (TakeLock())
        {
            foreach (var module in modules)
            {
                var marker = Path.Combine(state, module.Name);
                var expected = $"{module.Id} {module.Version} {module.Sha256}";
                if (Directory.Exists(Path.Combine(ModulePath, module.Name)) && File.Exists(marker) && File.ReadAllText(marker) == expected)
                    continue;
                if (_store.ReadModuleContent(module.Id) is not { } content)
                    continue; // removed meanwhile: the next look sees it gone
                var staging = Path.Combine(work, Guid.NewGuid().ToString("n"));
                using (var zip = new ZipArchive(new MemoryStream(content.Content), ZipArchiveMode.Read))
                    zip.ExtractToDirectory(staging);
                MoveAway(Path.Combine(ModulePath, module.Name), work);
                Directory.Move(staging, Path.Combine(ModulePath, module.Name));
                File.WriteAllText(marker, $"{content.Id} {content.Version} {content.Sha256}");
            }
            foreach (var local in Directory.EnumerateDirectories(ModulePath).ToList())
            {
                var name = Path.GetFileName(local);
                if (modules.Any(m => m.Name.Equals(name, StringComparison.Ordinal)))
                    continue;
                MoveAway(local, work);
                File.Delete(Path.Combine(state, name));
            }
            foreach (var left in Directory.EnumerateDirectories(work).ToList())
            {
                try
                {
                    Directory.Delete(left, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // a job still holds a file of an old version (Windows): removed at a later look
                }
            }
        }
        AddToModulePath();
    }

    /// <summary>Moves an existing module folder out of PSModulePath's sight, so its replacement appears in one rename.</summary>
    private static void MoveAway(string folder, string work)
    {
        if (Directory.Exists(folder))
            Directory.Move(folder, Path.Combine(work, Guid.NewGuid().ToString("n")));
    }

    /// <summary>Prepends the module folder to this process's PSModulePath once, so the store's modules win over others.</summary>
    private void AddToModulePath()
    {
        var current = Environment.GetEnvironmentVariable("PSModulePath") ?? "";
        var entries = current.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        if (entries.Any(e => string.Equals(Path.TrimEndingDirectorySeparator(e), ModulePath,
                OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal)))
            return;
        Environment.SetEnvironmentVariable("PSModulePath", current.Length == 0 ? ModulePath : ModulePath + Path.PathSeparator + current);
    }

    /// <summary>An exclusive lock on the store's folder shared by this machine's processes (released on dispose).</summary>
    private FileStream TakeLock()
    {
        var path = Path.Combine(Home, "lock");
        var deadline = DateTime.UtcNow + LockPatience;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(Random.Shared.Next(20, 60));
            }
        }
    }

    private static void CreateOwnerOnly(string folder)
    {
        if (Directory.Exists(folder))
            return;
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(folder);
        else
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
