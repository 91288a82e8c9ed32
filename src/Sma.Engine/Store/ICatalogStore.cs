using Sma.Engine.Model;
using Sma.Engine.States;

namespace Sma.Engine.Store;

/// <summary>The catalog: runbooks and their immutable versions, with the assets and modules jobs use.</summary>
public interface ICatalogStore : IAssetStore, IModuleStore
{
    Runbook? FindRunbook(string name);
    Runbook? FindRunbook(Guid id);
    IReadOnlyList<Runbook> ListRunbooks();
    Runbook CreateRunbook(NewRunbook runbook);
    /// <summary>Replaces the draft; <paramref name="translated"/> is the script a Workflow source runs as (else null).</summary>
    Runbook SetDraft(Guid runbookId, string source, bool overwrite, string? translated = null);
    Runbook Publish(Guid runbookId);
    Runbook Configure(Guid runbookId, RunbookChanges changes);
    void RemoveRunbook(Guid runbookId);
    RunbookDefinition? GetDefinition(Guid versionId);

    /// <summary>The runbooks with these names (any case); names no runbook has are left out.</summary>
    IReadOnlyList<Runbook> FindRunbooks(IReadOnlyCollection<string> names);
}
