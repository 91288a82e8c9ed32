using Dapper;
using Npgsql;
using Sma.Engine.Model;

namespace Sma.Engine.Store.PostgreSql;

public sealed partial class PostgresStore
{
    private const string RunbookColumns =
        "runbook_id, name, runbook_type, description, tags, log_verbose, log_progress, log_debug, runbook_worker, " +
        "draft_version_id, published_version_id, creation_time, last_modified_time";

    // One round trip (a start reads its runbook so): the name column's collation matches in any case, as StoredName does.
    public Runbook? FindRunbook(string name) => Read(c =>
        c.QuerySingleOrDefault<RunbookRow>($"SELECT {RunbookColumns} FROM runbooks WHERE name = @name", new { name })?.ToModel());

    /// <summary>The stored spelling of a runbook name, matched in any case (the column's collation folds every letter).</summary>
    private string? StoredName(NpgsqlConnection c, NpgsqlTransaction? tx, string name) =>
        c.QuerySingleOrDefault<string>("SELECT name FROM runbooks WHERE name = @name", new { name }, tx);

    public Runbook? FindRunbook(Guid id) => Read(c => FindRunbook(c, null, id));

    public IReadOnlyList<Runbook> ListRunbooks() => Read(c =>
        c.Query<RunbookRow>($"SELECT {RunbookColumns} FROM runbooks ORDER BY name").Select(r => r.ToModel()).ToList());

    public Runbook CreateRunbook(NewRunbook runbook) => Write(tx =>
    {
        var c = tx.Connection!;
        if (StoredName(c, tx, runbook.Name) is not null)
            throw SmaErrors.RunbookAlreadyExists(runbook.Name);
        var id = Guid.NewGuid();
        var versionId = InsertVersion(tx, id, runbook.Name, runbook.Source, runbook.Translated);
        var now = Now();
        c.Execute(
            $"INSERT INTO runbooks ({RunbookColumns}) VALUES " +
            "(@id, @Name, @type, @Description, @Tags, 0, 0, 0, NULL, @draft, @published, @now, @now)",
            new
            {
                id = id.ToString(),
                runbook.Name,
                type = runbook.Type.ToString(),
                runbook.Description,
                runbook.Tags,
                draft = runbook.Publish ? null : versionId,
                published = runbook.Publish ? versionId : null,
                now,
            }, tx);
        return FindRunbook(c, tx, id)!;
    });

    public Runbook SetDraft(Guid runbookId, string source, bool overwrite, string? translated = null) => Write(tx =>
    {
        var c = tx.Connection!;
        var runbook = FindRunbook(c, tx, runbookId) ?? throw SmaErrors.RunbookIdNotFound(runbookId);
        if (runbook.DraftRunbookVersionID is { } oldDraft)
        {
            if (!overwrite)
                throw SmaErrors.DraftExists(runbook.RunbookName);
            // A draft is never run, so no job refers to it: replacing it keeps versions immutable for jobs.
            c.Execute("DELETE FROM runbook_versions WHERE version_id = @v", new { v = oldDraft.ToString() }, tx);
        }
        var versionId = InsertVersion(tx, runbookId, runbook.RunbookName, source, translated);
        c.Execute(
            "UPDATE runbooks SET draft_version_id = @versionId, last_modified_time = @now WHERE runbook_id = @id",
            new { versionId, now = Now(), id = runbookId.ToString() }, tx);
        return FindRunbook(c, tx, runbookId)!;
    });

    public Runbook Publish(Guid runbookId) => Write(tx =>
    {
        var c = tx.Connection!;
        var runbook = FindRunbook(c, tx, runbookId) ?? throw SmaErrors.RunbookIdNotFound(runbookId);
        if (runbook.DraftRunbookVersionID is null)
            throw SmaErrors.NoDraft(runbook.RunbookName);
        c.Execute(
            "UPDATE runbooks SET published_version_id = draft_version_id, draft_version_id = NULL, " +
            "last_modified_time = @now WHERE runbook_id = @id",
            new { now = Now(), id = runbookId.ToString() }, tx);
        return FindRunbook(c, tx, runbookId)!;
    });

    public Runbook Configure(Guid runbookId, RunbookChanges changes) => Write(tx =>
    {
        var c = tx.Connection!;
        var runbook = FindRunbook(c, tx, runbookId) ?? throw SmaErrors.RunbookIdNotFound(runbookId);
        c.Execute(
            "UPDATE runbooks SET log_verbose = @LogVerbose::int, log_progress = @LogProgress::int, log_debug = @LogDebug::int, " +
            "description = @Description, tags = @Tags, runbook_type = @Type, runbook_worker = @Worker, " +
            "last_modified_time = @now WHERE runbook_id = @id",
            new
            {
                LogVerbose = changes.LogVerbose ?? runbook.LogVerbose,
                LogProgress = changes.LogProgress ?? runbook.LogProgress,
                LogDebug = changes.LogDebug ?? runbook.LogDebug,
                Description = changes.Description ?? runbook.Description,
                Tags = changes.Tags ?? runbook.Tags,
                Type = changes.Type?.ToString() ?? runbook.RunbookType,
                Worker = changes.SetRunbookWorker ? changes.RunbookWorker : runbook.RunbookWorker,
                now = Now(),
                id = runbookId.ToString(),
            }, tx);
        return FindRunbook(c, tx, runbookId)!;
    });

    public void RemoveRunbook(Guid runbookId) => Write(tx =>
    {
        var c = tx.Connection!;
        var id = runbookId.ToString();
        if (c.Execute("DELETE FROM runbooks WHERE runbook_id = @id", new { id }, tx) == 0)
            throw SmaErrors.RunbookIdNotFound(runbookId);
        // Keep the versions jobs ran, as runbooks or as inline children (their history shows the source); drop the rest.
        c.Execute(
            "DELETE FROM runbook_versions WHERE runbook_id = @id AND NOT EXISTS " +
            "(SELECT 1 FROM jobs WHERE jobs.runbook_version_id = runbook_versions.version_id) AND NOT EXISTS " +
            "(SELECT 1 FROM job_sources s WHERE s.version_id = runbook_versions.version_id)",
            new { id }, tx);
        return 0;
    });

    public RunbookDefinition? GetDefinition(Guid versionId) => Read(c =>
    {
        var row = c.QuerySingleOrDefault<VersionRow>(
            "SELECT v.version_id, v.runbook_id, v.runbook_name, v.version_number, v.source, v.translated, v.creation_time, " +
            "r.draft_version_id FROM runbook_versions v LEFT JOIN runbooks r ON r.runbook_id = v.runbook_id " +
            "WHERE v.version_id = @v",
            new { v = versionId.ToString() });
        return row is null ? null : new RunbookDefinition
        {
            RunbookName = row.RunbookName,
            Content = row.Source,
            Translated = row.Translated,
            RunbookVersion = new RunbookVersion
            {
                RunbookVersionID = Guid.Parse(row.VersionId),
                RunbookID = Guid.Parse(row.RunbookId),
                VersionNumber = (int)row.VersionNumber,
                IsDraft = row.DraftVersionId == row.VersionId,
                CreationTime = Utc(row.CreationTime),
            },
        };
    });

    private Runbook? FindRunbook(NpgsqlConnection c, NpgsqlTransaction? tx, Guid id) =>
        c.QuerySingleOrDefault<RunbookRow>(
            $"SELECT {RunbookColumns} FROM runbooks WHERE runbook_id = @id", new { id = id.ToString() }, tx)?.ToModel();

    private string InsertVersion(NpgsqlTransaction tx, Guid runbookId, string name, string source, string? translated)
    {
        var c = tx.Connection!;
        var versionId = Guid.NewGuid().ToString();
        var number = c.ExecuteScalar<long>(
            "SELECT coalesce(max(version_number), 0) + 1 FROM runbook_versions WHERE runbook_id = @id",
            new { id = runbookId.ToString() }, tx);
        c.Execute(
            "INSERT INTO runbook_versions (version_id, runbook_id, runbook_name, version_number, source, translated, creation_time) " +
            "VALUES (@versionId, @id, @name, @number, @source, @translated, @now)",
            new { versionId, id = runbookId.ToString(), name, number, source, translated, now = Now() }, tx);
        return versionId;
    }
}
