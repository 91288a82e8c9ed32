using Sma.Engine.Model;

namespace Sma.Engine.Children;

/// <summary>What the resolver needs to know about the store and the job session.</summary>
internal interface IChildRunbookCatalog
{
    /// <summary>The runbooks with any of these names (any case); names no runbook has are left out.</summary>
    IReadOnlyList<Runbook> FindRunbooks(IReadOnlyCollection<string> names);

    /// <summary>True when a job runspace has a command of this name (cmdlet, function, alias): it wins over a runbook.</summary>
    bool IsSessionCommand(string name);

    /// <summary>The names a runbook version calls, less the functions it defines (see <see cref="RunbookCalls"/>).</summary>
    IReadOnlySet<string> CallsOf(string runbookName, Guid versionId);
}

/// <summary>
/// Resolves a runbook's inline child runbooks (DESIGN §11), recursively: a command named like a runbook of the store —
/// and not a command of the job session nor a function the calling runbook defines — is that runbook's published
/// version, run inline. A cycle (A -> B -> A, A -> A) and a child with no published version are errors, raised
/// before any job exists.
/// </summary>
internal static class ChildRunbookResolver
{
    /// <summary>
    /// The child versions <paramref name="runbookName"/> uses, each once, in the order first reached (depth first, in
    /// the order the runbooks were found). Empty when it calls none, at the cost of no lookup at all.
    /// </summary>
    public static IReadOnlyList<ChildRunbookVersion> Resolve(string runbookName, IReadOnlySet<string> calls, IChildRunbookCatalog catalog)
    {
        if (calls.Count == 0)
            return Array.Empty<ChildRunbookVersion>();
        var resolved = new List<ChildRunbookVersion>();
        var done = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var path = new List<string> { runbookName };
        Visit(calls, path, done, resolved, catalog);
        return resolved;
    }

    private static void Visit(
        IReadOnlySet<string> calls, List<string> path, HashSet<string> done, List<ChildRunbookVersion> resolved, IChildRunbookCatalog catalog)
    {
        if (calls.Count == 0)
            return;
        foreach (var runbook in catalog.FindRunbooks(calls).OrderBy(r => r.RunbookName, StringComparer.OrdinalIgnoreCase))
        {
            var name = runbook.RunbookName;
            if (catalog.IsSessionCommand(name))
                continue;
            if (path.Contains(name, StringComparer.OrdinalIgnoreCase))
                throw SmaErrors.ChildRunbookCycle(path.Append(name).ToList());
            if (done.Contains(name))
                continue; // already resolved through another caller (A -> B -> D, A -> C -> D)
            if (runbook.PublishedRunbookVersionID is not { } versionId)
                throw SmaErrors.ChildRunbookNotPublished(path.Append(name).ToList());
            resolved.Add(new ChildRunbookVersion(name, versionId));
            path.Add(name);
            Visit(catalog.CallsOf(name, versionId), path, done, resolved, catalog);
            path.RemoveAt(path.Count - 1);
            done.Add(name);
        }
    }
}
