using Dapper;
using Npgsql;
using Sma.Engine.Model;

namespace Sma.Engine.Store.PostgreSql;

// Inline child runbooks: finding runbooks by the names a runbook calls, and the child versions kept with each job
// (job_sources, migration 4).
public sealed partial class PostgresStore
{
    public IReadOnlyList<Runbook> FindRunbooks(IReadOnlyCollection<string> names)
    {
        if (names.Count == 0)
            return Array.Empty<Runbook>();
        // name has the case-insensitive collation, so ANY matches any case.
        return Read(c => names.Chunk(IdChunk)
            .SelectMany(chunk => c.Query<RunbookRow>(
                $"SELECT {RunbookColumns} FROM runbooks WHERE name = ANY(@chunk)", new { chunk }))
            .Select(r => r.ToModel())
            .ToList());
    }

    public IReadOnlyList<ChildRunbookVersion> ReadJobSources(Guid jobId) => Read(c => ReadJobSources(c, null, jobId.ToString()));

    private IReadOnlyList<ChildRunbookVersion> ReadJobSources(NpgsqlConnection c, NpgsqlTransaction? tx, string jobId) =>
        c.Query<(string Name, string VersionId)>(
                "SELECT runbook_name, version_id FROM job_sources WHERE job_id = @jobId ORDER BY ordinal", new { jobId }, tx)
            .Select(r => new ChildRunbookVersion(r.Name, Guid.Parse(r.VersionId)))
            .ToList();

    private void InsertJobSources(NpgsqlConnection c, NpgsqlTransaction? tx, string jobId, IReadOnlyList<ChildRunbookVersion> children)
    {
        if (children.Count == 0)
            return;
        c.Execute(
            "INSERT INTO job_sources (job_id, ordinal, runbook_name, version_id) VALUES (@jobId, @Ordinal, @RunbookName, @VersionId)",
            children.Select((child, i) => new { jobId, Ordinal = i, child.RunbookName, VersionId = child.VersionId.ToString() }), tx);
    }
}
