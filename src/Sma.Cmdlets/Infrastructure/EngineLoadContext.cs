using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace Sma.Cmdlets.Infrastructure;

/// <summary>
/// The private AssemblyLoadContext of DESIGN §3: Sma.Engine and its packages (Dapper, Microsoft.Data.Sqlite,
/// SQLitePCLRaw) load from <c>dependencies/</c>, so another module's copies never collide with ours, and the native
/// SQLite library is found for this OS and architecture (PowerShell does not read a module's .deps.json).
/// </summary>
internal sealed class EngineLoadContext : AssemblyLoadContext
{
    private readonly string _folder;

    public EngineLoadContext(string folder) : base("Sma.Engine", isCollectible: false) => _folder = folder;

    protected override Assembly? Load(AssemblyName name)
    {
        var path = Path.Combine(_folder, name.Name + ".dll");
        // Anything we do not ship (System.Management.Automation, the framework) comes from the default context.
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        if (!unmanagedDllName.Contains("e_sqlite3", StringComparison.Ordinal))
            return IntPtr.Zero;
        var file = OperatingSystem.IsWindows() ? "e_sqlite3.dll"
            : OperatingSystem.IsMacOS() ? "libe_sqlite3.dylib"
            : "libe_sqlite3.so";
        var path = Path.Combine(_folder, "runtimes", RuntimeId(), "native", file);
        return File.Exists(path) ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;
    }

    private static string RuntimeId()
    {
        var os = OperatingSystem.IsWindows() ? "win"
            : OperatingSystem.IsMacOS() ? "osx"
            : File.Exists("/etc/alpine-release") ? "linux-musl"
            : "linux";
        var arch = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "x64",
            Architecture.Arm64 => "arm64",
            Architecture.X86 => "x86",
            Architecture.Arm => "arm",
            var other => other.ToString().ToLowerInvariant(),
        };
        return $"{os}-{arch}";
    }
}
