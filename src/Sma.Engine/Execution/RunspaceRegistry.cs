using System.Collections;
using System.Management.Automation.Runspaces;
using System.Reflection;

namespace Sma.Engine.Execution;

/// <summary>
/// Keeps job runspaces off PowerShell's process-wide runspace list. When pwsh exits, closing its primary runspace
/// disposes every other open runspace on that list, and disposing waits, without limit, for the runspace's pipeline
/// to stop: one job blocked in .NET code (<c>[Threading.Thread]::Sleep(-1)</c>) would hang the exit forever (seen
/// with pwsh 7.6.9). The engine settles and releases its own runspaces, so they need not be on that list; it also
/// keeps them out of Get-Runspace and Debug-Runspace. PowerShell has no public way to do this, hence reflection on
/// its private list; should a later PowerShell rename it, runspaces simply stay listed as before.
/// </summary>
internal static class RunspaceRegistry
{
    private const BindingFlags Private = BindingFlags.NonPublic | BindingFlags.Static;
    private static readonly IDictionary? List = typeof(Runspace).GetField("s_runspaceDictionary", Private)?.GetValue(null) as IDictionary;
    private static readonly object? Sync = typeof(Runspace).GetField("s_syncObject", Private)?.GetValue(null);

    /// <summary>True when the runspace was taken off the list.</summary>
    public static bool Unlist(Runspace runspace)
    {
        if (List is null || Sync is null)
            return false;
        lock (Sync)
        {
            if (!List.Contains(runspace.Id))
                return false;
            List.Remove(runspace.Id);
            return true;
        }
    }
}
