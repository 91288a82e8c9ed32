using Dapper;
using Npgsql;
using Sma.Engine.Model;
using Sma.Engine.States;

namespace Sma.Engine.Store.PostgreSql;

/// <summary>
/// Claiming work in three round trips whatever the count (DESIGN §12): the time from a NOTIFY to a running job is
/// mostly round trips to the server, and each one grows with the machine's load.
/// </summary>
public sealed partial class PostgresStore
{
    // One statement takes the jobs, writes their history rows and counts them for the dashboard. Row locks are taken
    // with SKIP LOCKED, so two workers (on two machines) claiming at once take different jobs, and each UPDATE checks
    // the status again, so a job moved since the inner SELECT is never taken. Resuming jobs stay Resuming until their
    // runspace is open: a claim only records who holds them; Queued jobs fill what the resumes left of @max.
    private const string ClaimSql =
        "WITH resumed AS (" +
        "UPDATE jobs SET worker = @worker, incarnation_id = @holder, last_modified_time = @now WHERE job_id = ANY(" +
        "ARRAY(SELECT job_id FROM jobs WHERE status = @resuming AND worker IS NULL " +
        "AND (assigned_worker IS NULL OR assigned_worker = @worker) ORDER BY last_modified_time LIMIT @max " +
        "FOR UPDATE SKIP LOCKED)) AND status = @resuming AND worker IS NULL RETURNING " + JobColumns + "), " +
        "claimed AS (" +
        "UPDATE jobs SET status = @to, worker = @worker, incarnation_id = @holder, last_modified_time = @now WHERE job_id = ANY(" +
        "ARRAY(SELECT job_id FROM jobs WHERE status = @queued AND (assigned_worker IS NULL OR assigned_worker = @worker) " +
        "ORDER BY creation_time LIMIT greatest(@max - (SELECT count(*) FROM resumed), 0) FOR UPDATE SKIP LOCKED)) " +
        "AND status = @queued RETURNING " + JobColumns + "), " +
        "history AS (" +
        "INSERT INTO job_history (job_id, time, from_status, to_status, worker, details) " +
        "SELECT job_id, @now, @queued, @to, @worker, NULL FROM claimed ORDER BY creation_time), " +
        "counted AS (" +
        "INSERT INTO status_counts (hour, runbook_name, status, count) " +
        "SELECT @hour, runbook_name, @to, count(*) FROM claimed GROUP BY runbook_name " +
        "ON CONFLICT (hour, runbook_name, status) DO UPDATE SET count = status_counts.count + EXCLUDED.count) " +
        "SELECT * FROM resumed UNION ALL SELECT * FROM claimed";

    // Everything a runner needs of the jobs just claimed, in one batch: the text each version runs (a Workflow
    // version its translation, DESIGN §11), where each job's records go on, its parameters, the child runbook
    // versions it pinned, and the checkpoints of resumed jobs.
    private const string ClaimedWorkSql =
        "SELECT version_id, coalesce(translated, source) FROM runbook_versions WHERE version_id = ANY(@versions); " +
        "SELECT job_id, max(stream_id) FROM job_streams WHERE job_id = ANY(@ids) GROUP BY job_id; " +
        "SELECT job_id, ordinal, name, value_xml, secret, display FROM job_parameters WHERE job_id = ANY(@ids) ORDER BY job_id, ordinal; " +
        "SELECT job_id, runbook_name, version_id FROM job_sources WHERE job_id = ANY(@ids) ORDER BY job_id, ordinal; " +
        "SELECT job_id, statement_index, last_stream_id, location, variables_xml, secret, resume_path, state_xml, state_secret " +
        "FROM checkpoints WHERE job_id = ANY(@resumed)";

    public IReadOnlyList<JobWork> ClaimJobs(string worker, string holder, int max)
    {
        if (max <= 0)
            return Array.Empty<JobWork>();
        var to = JobTransitions.Next(Guid.Empty, JobStatus.Queued, JobTrigger.Claim);
        return Write<IReadOnlyList<JobWork>>(tx =>
        {
            var c = tx.Connection!;
            var now = Now();
            var rows = c.Query<JobRow>(ClaimSql, new
                {
                    worker, holder, now, max, to = to.ToString(), hour = now / TimeSpan.TicksPerHour,
                    queued = nameof(JobStatus.Queued), resuming = nameof(JobStatus.Resuming),
                }, tx)
                // Resumes first, then the oldest queued job first.
                .OrderBy(r => r.Status == nameof(JobStatus.Resuming) ? 0 : 1).ThenBy(r => r.CreationTime)
                .ToList();
            return rows.Count == 0 ? Array.Empty<JobWork>() : LoadWork(c, tx, rows);
        });
    }

    private List<JobWork> LoadWork(NpgsqlConnection c, NpgsqlTransaction tx, IReadOnlyList<JobRow> rows)
    {
        var ids = rows.Select(r => r.JobId).ToArray();
        using var read = c.QueryMultiple(ClaimedWorkSql, new
        {
            ids,
            versions = rows.Select(r => r.RunbookVersionId).Distinct().ToArray(),
            resumed = rows.Where(r => r.Status == nameof(JobStatus.Resuming)).Select(r => r.JobId).ToArray(),
        }, tx);
        var sources = read.Read<(string VersionId, string? Text)>().ToDictionary(v => v.VersionId, v => v.Text ?? "");
        var lastStreams = read.Read<(string JobId, long? Last)>().ToDictionary(s => s.JobId, s => s.Last ?? 0);
        var parameters = read.Read<ParameterRow>().ToLookup(p => p.JobId, p => p.ToModel());
        var children = read.Read<(string JobId, string Name, string VersionId)>()
            .ToLookup(s => s.JobId, s => new ChildRunbookVersion(s.Name, Guid.Parse(s.VersionId)));
        var checkpoints = read.Read<ClaimedCheckpointRow>().ToDictionary(k => k.JobId);
        return rows.Select(row =>
        {
            var from = row.Status == nameof(JobStatus.Resuming) ? JobStatus.Resuming : JobStatus.Queued;
            var checkpoint = checkpoints.GetValueOrDefault(row.JobId);
            return new JobWork(
                Guid.Parse(row.JobId),
                row.RunbookName,
                Enum.Parse<RunbookType>(row.RunbookType),
                sources.GetValueOrDefault(row.RunbookVersionId, ""),
                row.LogVerbose != 0,
                row.LogProgress != 0,
                row.LogDebug != 0,
                row.WorkingDirectory,
                parameters[row.JobId].ToList(),
                lastStreams.GetValueOrDefault(row.JobId),
                from,
                checkpoint is null
                    ? null
                    : new CheckpointData((int)checkpoint.StatementIndex, checkpoint.LastStreamId, checkpoint.Location,
                        checkpoint.VariablesXml, checkpoint.Secret, checkpoint.ResumePath, checkpoint.StateXml, checkpoint.StateSecret))
            {
                Children = children[row.JobId].ToList(),
            };
        }).ToList();
    }

    private sealed class ClaimedCheckpointRow
    {
        public string JobId { get; set; } = "";
        public long StatementIndex { get; set; }
        public long LastStreamId { get; set; }
        public string? Location { get; set; }
        public string? VariablesXml { get; set; }
        public byte[]? Secret { get; set; }
        public string? ResumePath { get; set; }
        public string? StateXml { get; set; }
        public byte[]? StateSecret { get; set; }
    }
}
