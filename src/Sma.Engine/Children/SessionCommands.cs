using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using Sma.Engine.Execution;

namespace Sma.Engine.Children;

/// <summary>
/// The commands every job runspace has (cmdlets, functions, aliases; the module's own cmdlets and
/// Checkpoint-Workflow included). A runbook named like one of them is never run inline: the command wins. Read once
/// per session state, and only when a runbook calls a name some runbook has.
/// </summary>
internal static class SessionCommands
{
    private static readonly ConditionalWeakTable<JobSessionState, IReadOnlySet<string>> Names = new();

    public static IReadOnlySet<string> Of(JobSessionState session) => Names.GetValue(session, Read);

    private static IReadOnlySet<string> Read(JobSessionState session)
    {
        using var runspace = RunspaceFactory.CreateRunspace(session.State);
        runspace.Open();
        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        // -ListImported: what the runspace has, not every command of every module on the module path.
        var commands = ps.AddCommand("Get-Command").AddParameter("ListImported")
            .AddParameter("CommandType", CommandTypes.Alias | CommandTypes.Function | CommandTypes.Filter | CommandTypes.Cmdlet)
            .Invoke<CommandInfo>();
        return new HashSet<string>(commands.Select(c => c.Name), StringComparer.OrdinalIgnoreCase);
    }
}
