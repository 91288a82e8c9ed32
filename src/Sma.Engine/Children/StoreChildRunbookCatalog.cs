using Sma.Engine.Model;

namespace Sma.Engine.Children;

/// <summary>The resolver's view of a runtime: its store's runbooks and versions, and its job session's commands.</summary>
internal sealed class StoreChildRunbookCatalog : IChildRunbookCatalog
{
    private readonly SmaRuntime _runtime;

    public StoreChildRunbookCatalog(SmaRuntime runtime) => _runtime = runtime;

    public IReadOnlyList<Runbook> FindRunbooks(IReadOnlyCollection<string> names) => _runtime.Store.FindRunbooks(names);

    public bool IsSessionCommand(string name) => SessionCommands.Of(_runtime.Session).Contains(name);

    public IReadOnlyDictionary<string, int> CallsOf(string runbookName, Guid versionId) =>
        RunbookVersionCache.Get(_runtime.Store, versionId, runbookName).Calls;

    /// <summary>The child versions the published version <paramref name="versionId"/> of a runbook uses, resolved now.</summary>
    public IReadOnlyList<ChildRunbookVersion> Resolve(string runbookName, Guid versionId) =>
        ChildRunbookResolver.Resolve(runbookName, CallsOf(runbookName, versionId), this);
}
