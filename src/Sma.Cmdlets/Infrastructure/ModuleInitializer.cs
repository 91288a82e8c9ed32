using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace Sma.Cmdlets.Infrastructure;

/// <summary>
/// Hooks the default context's resolution of <c>Sma.Engine</c> (and only that name) to the private
/// <see cref="EngineLoadContext"/> on import (and gives the engine the cmdlets jobs may call), and unhooks it on
/// removal, stopping this session's workers.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly EngineLoadContext Context = new(
        Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!, "dependencies"));

    public void OnImport()
    {
        AssemblyLoadContext.Default.Resolving += ResolveEngine;
        JobCmdletRegistration.Register();
    }

    public void OnRemove(PSModuleInfo module)
    {
        EngineShutdown.CloseAll();
        AssemblyLoadContext.Default.Resolving -= ResolveEngine;
    }

    private static Assembly? ResolveEngine(AssemblyLoadContext context, AssemblyName name) =>
        name.Name == "Sma.Engine" ? Context.LoadFromAssemblyName(name) : null;
}

/// <summary>Kept apart so that merely loading <see cref="ModuleInitializer"/> never needs Sma.Engine.</summary>
internal static class EngineShutdown
{
    public static void CloseAll() => Sma.Engine.SmaRuntime.CloseAll();
}
