using Sma.Engine.Model;
using Sma.Engine.Store;

namespace Sma.Engine.Services;

/// <summary>Runbook management for the cmdlets: import, edit, publish, configure, remove, read definitions.</summary>
public sealed class RunbookService
{
    private readonly IJobStore _store;

    public RunbookService(SmaRuntime runtime) => _store = runtime.Store;

    public Runbook Import(string path, string? name, RunbookType type, string? description, string? tags, bool publish)
    {
        name ??= Path.GetFileNameWithoutExtension(path);
        RunbookSource.CheckName(name);
        var source = RunbookSource.ReadFile(path);
        RunbookSource.Parse(name, source);
        return _store.CreateRunbook(new NewRunbook(name, type, source, description, tags, publish));
    }

    /// <summary>
    /// Import-SmaRunbook -Force on an existing runbook: the file's source becomes a new draft version (and the
    /// published one with <paramref name="publish"/>); the runbook keeps its id, settings and jobs. A given type,
    /// description or tags replace the old ones.
    /// </summary>
    public Runbook Replace(Runbook runbook, string path, RunbookType? type, string? description, string? tags, bool publish)
    {
        var source = RunbookSource.ReadFile(path);
        RunbookSource.Parse(runbook.RunbookName, source);
        var updated = _store.SetDraft(runbook.RunbookID, source, overwrite: true);
        if (type is not null || description is not null || tags is not null)
            updated = _store.Configure(runbook.RunbookID, new RunbookChanges { Type = type, Description = description, Tags = tags });
        return publish ? _store.Publish(runbook.RunbookID) : updated;
    }

    public Runbook Edit(Runbook runbook, string path, bool overwrite)
    {
        var source = RunbookSource.ReadFile(path);
        RunbookSource.Parse(runbook.RunbookName, source);
        return _store.SetDraft(runbook.RunbookID, source, overwrite);
    }

    public Runbook Publish(Runbook runbook) => _store.Publish(runbook.RunbookID);

    public Runbook Configure(Runbook runbook, RunbookChanges changes) => _store.Configure(runbook.RunbookID, changes);

    public void Remove(Runbook runbook) => _store.RemoveRunbook(runbook.RunbookID);

    public Runbook Get(string name) => Find(name) ?? throw SmaErrors.RunbookNotFound(name);

    public Runbook? Find(string name) => _store.FindRunbook(name);

    public Runbook Get(Guid id) => _store.FindRunbook(id) ?? throw SmaErrors.RunbookIdNotFound(id);

    public IReadOnlyList<Runbook> List() => _store.ListRunbooks();

    public RunbookDefinition GetDefinition(Guid versionId) =>
        _store.GetDefinition(versionId) ?? throw SmaErrors.VersionNotFound(versionId);

    /// <summary>
    /// The inline child runbook versions a job uses, in the order they were resolved (its own version is the job's
    /// RunbookVersionId): its source snapshot beside the runbook's own source.
    /// </summary>
    public IReadOnlyList<RunbookDefinition> GetChildDefinitions(Guid jobId)
    {
        if (_store.GetJob(jobId) is null)
            throw SmaErrors.JobNotFound(jobId);
        return _store.ReadJobSources(jobId).Select(child => GetDefinition(child.VersionId)).ToList();
    }

    /// <summary>The draft or published source of a runbook.</summary>
    public RunbookDefinition GetDefinition(Runbook runbook, bool draft)
    {
        var version = draft ? runbook.DraftRunbookVersionID : runbook.PublishedRunbookVersionID;
        if (version is null)
            throw draft ? SmaErrors.NoDraft(runbook.RunbookName) : SmaErrors.NoPublishedVersion(runbook.RunbookName);
        return GetDefinition(version.Value);
    }
}
