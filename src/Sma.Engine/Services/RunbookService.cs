using Sma.Engine.Model;
using Sma.Engine.Store;
using Sma.Engine.Workflows;

namespace Sma.Engine.Services;

/// <summary>Runbook management for the cmdlets: import, edit, publish, configure, remove, read definitions.</summary>
public sealed class RunbookService
{
    private readonly IJobStore _store;

    public RunbookService(SmaRuntime runtime) => _store = runtime.Store;

    /// <summary>
    /// The name a file imports under when none is given: its workflow's (SMA's rule), else the file's base name. A file
    /// that cannot be read or parsed gets its base name: importing it then reports what is wrong.
    /// </summary>
    public string DefaultName(string path)
    {
        var baseName = Path.GetFileNameWithoutExtension(path);
        try
        {
            return WorkflowFile.TryParse(RunbookSource.ReadFile(path), baseName)?.Entry(null, baseName, baseName).Name ?? baseName;
        }
        catch (Exception e) when (e is SmaException or IOException or UnauthorizedAccessException)
        {
            return baseName;
        }
    }

    /// <summary>
    /// Imports a script or Workflow source. Workflow source is translated now, so its errors come at import; the
    /// runbook is then named after its workflow (SMA's rule) unless <paramref name="name"/> is given, and is of type
    /// Workflow unless <paramref name="type"/> says otherwise.
    /// </summary>
    public Runbook Import(string path, string? name, RunbookType? type, string? description, string? tags, bool publish)
    {
        if (name is not null)
            RunbookSource.CheckName(name);
        var source = RunbookSource.ReadFile(path);
        var baseName = Path.GetFileNameWithoutExtension(path);
        var workflow = WorkflowTranslator.Translate(source, name, baseName, name ?? baseName);
        name ??= workflow?.EntryName ?? baseName;
        RunbookSource.CheckName(name);
        if (workflow is null)
            RunbookSource.Parse(name, source);
        var runbookType = type ?? (workflow is null ? RunbookType.Script : RunbookType.Workflow);
        return _store.CreateRunbook(new NewRunbook(name, runbookType, source, description, tags, publish, workflow?.Text));
    }

    /// <summary>
    /// Import-SmaRunbook -Force on an existing runbook: the file's source (a script or Workflow source, translated now)
    /// becomes a new draft version (and the
    /// published one with <paramref name="publish"/>); the runbook keeps its id, settings and jobs. A given type,
    /// description or tags replace the old ones.
    /// </summary>
    public Runbook Replace(Runbook runbook, string path, RunbookType? type, string? description, string? tags, bool publish)
    {
        var source = RunbookSource.ReadFile(path);
        var workflow = WorkflowTranslator.Translate(source, runbook.RunbookName, Path.GetFileNameWithoutExtension(path), runbook.RunbookName);
        if (workflow is null)
            RunbookSource.Parse(runbook.RunbookName, source);
        // Workflow source makes the runbook a Workflow runbook, as a new import would, unless a type is given.
        type ??= workflow is null ? null : RunbookType.Workflow;
        var updated = _store.SetDraft(runbook.RunbookID, source, overwrite: true, workflow?.Text);
        if (type is not null || description is not null || tags is not null)
            updated = _store.Configure(runbook.RunbookID, new RunbookChanges { Type = type, Description = description, Tags = tags });
        return publish ? _store.Publish(runbook.RunbookID) : updated;
    }

    /// <summary>Replaces the draft with a script or Workflow source (translated now; the entry is the workflow named like the runbook).</summary>
    public Runbook Edit(Runbook runbook, string path, bool overwrite)
    {
        var source = RunbookSource.ReadFile(path);
        var workflow = WorkflowTranslator.Translate(source, runbook.RunbookName, Path.GetFileNameWithoutExtension(path), runbook.RunbookName);
        if (workflow is null)
            RunbookSource.Parse(runbook.RunbookName, source);
        return _store.SetDraft(runbook.RunbookID, source, overwrite, workflow?.Text);
    }

    public Runbook Publish(Runbook runbook) => _store.Publish(runbook.RunbookID);

    public Runbook Configure(Runbook runbook, RunbookChanges changes) => _store.Configure(runbook.RunbookID, changes);

    public void Remove(Runbook runbook) => _store.RemoveRunbook(runbook.RunbookID);

    public Runbook Get(string name) => Find(name) ?? throw SmaErrors.RunbookNotFound(name);

    public Runbook? Find(string name) => _store.FindRunbook(name);

    public Runbook Get(Guid id) => _store.FindRunbook(id) ?? throw SmaErrors.RunbookIdNotFound(id);

    public IReadOnlyList<Runbook> List() => _store.ListRunbooks();

    /// <summary>A version's source, or with <paramref name="translated"/> the text its jobs run (a Workflow's translation).</summary>
    public RunbookDefinition GetDefinition(Guid versionId, bool translated = false)
    {
        var definition = _store.GetDefinition(versionId) ?? throw SmaErrors.VersionNotFound(versionId);
        return translated ? definition.WithTranslatedContent() : definition;
    }

    /// <summary>
    /// The inline child runbook versions a job uses, in the order they were resolved (its own version is the job's
    /// RunbookVersionId): its source snapshot beside the runbook's own source.
    /// </summary>
    public IReadOnlyList<RunbookDefinition> GetChildDefinitions(Guid jobId, bool translated = false)
    {
        if (_store.GetJob(jobId) is null)
            throw SmaErrors.JobNotFound(jobId);
        return _store.ReadJobSources(jobId).Select(child => GetDefinition(child.VersionId, translated)).ToList();
    }

    /// <summary>The draft or published source of a runbook (or its translation).</summary>
    public RunbookDefinition GetDefinition(Runbook runbook, bool draft, bool translated = false)
    {
        var version = draft ? runbook.DraftRunbookVersionID : runbook.PublishedRunbookVersionID;
        if (version is null)
            throw draft ? SmaErrors.NoDraft(runbook.RunbookName) : SmaErrors.NoPublishedVersion(runbook.RunbookName);
        return GetDefinition(version.Value, translated);
    }
}
