using System.Management.Automation.Runspaces;
using Sma.Engine.Model;
using Sma.Engine.Store;

namespace Sma.Engine.Children;

/// <summary>
/// Defines a job's inline child runbooks in its runspace before the runbook runs: each becomes a global function made
/// from the child version's own parsed text, so it binds parameters like any function (by name or position, live
/// objects), its output returns to the caller, its records go to the job's streams, its terminating errors are the
/// caller's to catch, and error positions inside it name the child and its own lines. Kept apart from the runbook's
/// text: the runbook runs unchanged.
/// </summary>
internal static class ChildRunbookFunctions
{
    public static void Define(Runspace runspace, IReadOnlyList<ChildRunbookVersion> children, IJobStore store)
    {
        if (children.Count == 0)
            return;
        var items = runspace.SessionStateProxy.InvokeProvider.Item;
        foreach (var child in children)
        {
            var version = RunbookVersionCache.Get(store, child.VersionId, child.RunbookName);
            items.Set(@"function:\" + child.RunbookName, version.Parse().GetScriptBlock());
        }
    }
}
