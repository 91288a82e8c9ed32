using System.Management.Automation;
using System.Reflection;

namespace Sma.Cmdlets.Infrastructure;

/// <summary>
/// Hands the module's cmdlet types to the engine on import, so every job runspace has them without importing the
/// module (DESIGN §11: runbooks call Start-SmaRunbook, Get-SmaJob, ...). Kept apart from
/// <see cref="ModuleInitializer"/>, which must load without Sma.Engine.
/// </summary>
internal static class JobCmdletRegistration
{
    /// <summary>The help file Get-Help looks for beside this assembly (or in its culture folder).</summary>
    private const string HelpFile = "Sma.Cmdlets.dll-Help.xml";

    public static void Register()
    {
        var cmdlets = typeof(JobCmdletRegistration).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsPublic: true } && typeof(PSCmdlet).IsAssignableFrom(t))
            .Select(t => (Type: t, Attribute: t.GetCustomAttribute<CmdletAttribute>()))
            .Where(c => c.Attribute is not null)
            .Select(c => ($"{c.Attribute!.VerbName}-{c.Attribute.NounName}", c.Type));
        Sma.Engine.Execution.JobCmdlets.Register(cmdlets, HelpFile);
        // A session's background worker (Process isolation) imports the module from where this session did.
        var folder = Path.GetDirectoryName(typeof(JobCmdletRegistration).Assembly.Location)!;
        var manifest = Path.Combine(folder, "Sma.psd1");
        Sma.Engine.Execution.BackgroundWorker.ModulePath = File.Exists(manifest) ? manifest : typeof(JobCmdletRegistration).Assembly.Location;
    }
}
