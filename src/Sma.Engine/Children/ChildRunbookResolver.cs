using Sma.Engine.Model;

namespace Sma.Engine.Children;

/// <summary>What the resolver needs to know about the store and the job session.</summary>
internal interface IChildRunbookCatalog
{
    /// <summary>The runbooks with any of these names (any case); names no runbook has are left out.</summary>
    IReadOnlyList<Runbook> FindRunbooks(IReadOnlyCollection<string> names);

    /// <summary>True when a job runspace has a command of this name (cmdlet, function, alias): it wins over a runbook.</summary>
    bool IsSessionCommand(string name);

    /// <summary>The names a runbook version calls, less the functions it defines, each with the line of its first call (see <see cref="RunbookCalls"/>).</summary>
    IReadOnlyDictionary<string, int> CallsOf(string runbookName, Guid versionId);
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
    public static IReadOnlyList<ChildRunbookVersion> Resolve(string runbookName, IReadOnlyDictionary<string, int> calls, IChildRunbookCatalog catalog)
    {
        if (calls.Count == 0)
            return Array.Empty<ChildRunbookVersion>();
        var resolved = new List<ChildRunbookVersion>();
        var done = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var path = new List<string> { runbookName };
        var lines = new List<int>();
        Visit(calls, path, lines, done, resolved, catalog);
        return resolved;
    }

    private static void Visit(
        IReadOnlyDictionary<string, int> calls, List<string> path, List<int> lines, HashSet<string> done,
        List<ChildRunbookVersion> resolved, IChildRunbookCatalog catalog)
    {
        if (calls.Count == 0)
            return;
        foreach (var runbook in catalog.FindRunbooks(calls.Keys.ToList()).OrderBy(r => r.RunbookName, StringComparer.OrdinalIgnoreCase))
        {
            var name = runbook.RunbookName;
            if (catalog.IsSessionCommand(name))
                continue;
            // lines[i]: the line where path[i] calls path[i + 1]
            var line = calls.TryGetValue(name, out var at) ? at : 0;
            if (path.Contains(name, StringComparer.OrdinalIgnoreCase))
                throw SmaErrors.ChildRunbookCycle(path.Append(name).ToList(), lines.Append(line).ToList());
            if (done.Contains(name))
                continue; // already resolved through another caller (A -> B -> D, A -> C -> D)
            if (runbook.PublishedRunbookVersionID is not { } versionId)
                throw SmaErrors.ChildRunbookNotPublished(path.Append(name).ToList());
            resolved.Add(new ChildRunbookVersion(name, versionId));
            path.Add(name);
            lines.Add(line);
            Visit(catalog.CallsOf(name, versionId), path, lines, done, resolved, catalog);
            path.RemoveAt(path.Count - 1);
            lines.RemoveAt(lines.Count - 1);
            done.Add(name);
        }
    }
}
