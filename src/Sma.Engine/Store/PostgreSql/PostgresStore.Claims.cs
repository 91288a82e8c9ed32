using System.Text.Json;
using Dapper;
using Npgsql;
using Sma.Engine.Model;
using Sma.Engine.States;

namespace Sma.Engine.Store.PostgreSql;

/// <summary>
/// Claiming work in one round trip whatever it takes (DESIGN §12): the time from a NOTIFY to a running job is mostly
/// round trips to the server, and each one grows with the machine's load.
/// </summary>
public sealed partial class PostgresStore
{
    // One statement, its own transaction: it takes the jobs, writes their history rows, counts them for the dashboard
    // and returns everything a runner needs. Row locks are taken with SKIP LOCKED, so two workers (on two machines)
    // claiming at once take different jobs, and each UPDATE checks the status again, so a job moved since the inner
    // SELECT is never taken. Resuming jobs stay Resuming until their runspace is open: a claim only records who holds
    // them; Queued jobs fill what the resumes left of @max. Per job: the text its version runs (a Workflow version its
    // translation, DESIGN §11), where its records go on, its parameters and the child runbook versions it pinned (as
    // JSON arrays in order), a resumed job's checkpoint, and the store's modules generation (the job checks its copy of
    // the integration modules against it before it runs).
    private static readonly string ClaimSql =
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
        "SELECT @hour, runbook_name, @to, count(*) FROM claimed GROUP BY runbook_name ORDER BY runbook_name " +
        "ON CONFLICT (hour, runbook_name, status) DO UPDATE SET count = status_counts.count + EXCLUDED.count), " +
        "taken AS (SELECT * FROM resumed UNION ALL SELECT * FROM claimed) " +
        "SELECT t.*, " +
        "(SELECT coalesce(v.translated, v.source) FROM runbook_versions v WHERE v.version_id = t.runbook_version_id) AS source_text, " +
        "(SELECT max(s.stream_id) FROM job_streams s WHERE s.job_id = t.job_id) AS last_stream, " +
        ParametersJsonSql("t") + " AS parameters_json, " +
        "(SELECT json_agg(json_build_object('n', c.runbook_name, 'v', c.version_id) ORDER BY c.ordinal) " +
        "FROM job_sources c WHERE c.job_id = t.job_id) AS children_json, " +
        "k.statement_index AS cp_statement_index, k.last_stream_id AS cp_last_stream_id, k.location AS cp_location, " +
        "k.variables_xml AS cp_variables_xml, k.secret AS cp_secret, k.resume_path AS cp_resume_path, " +
        "k.state_xml AS cp_state_xml, k.state_secret AS cp_state_secret, " +
        "(SELECT CAST(value AS bigint) FROM admin_configuration WHERE key = 'ModulesGeneration') AS modules_generation " +
        "FROM taken t LEFT JOIN checkpoints k ON k.job_id = t.job_id AND t.status = @resuming";

    public IReadOnlyList<JobWork> ClaimJobs(string worker, string holder, int max)
    {
        if (max <= 0)
            return Array.Empty<JobWork>();
        var to = JobTransitions.Next(Guid.Empty, JobStatus.Queued, JobTrigger.Claim);
        var taken = WriteOne(c =>
        {
            var now = Now();
            return c.Query<JobRow, ClaimedExtras, (JobWork Work, JobStatus ClaimedFrom, long Created)>(ClaimSql, ToWork, new
                {
                    worker, holder, now, max, to = to.ToString(), hour = now / TimeSpan.TicksPerHour,
                    queued = nameof(JobStatus.Queued), resuming = nameof(JobStatus.Resuming),
                }, splitOn: "source_text")
                // Resumes first, then the oldest queued job first.
                .OrderBy(w => w.ClaimedFrom == JobStatus.Resuming ? 0 : 1).ThenBy(w => w.Created)
                .Select(w => w.Work)
                .ToList();
        });
        foreach (var work in taken)
            KnowState(work.JobId, new JobState(work.ClaimedFrom == JobStatus.Resuming ? JobStatus.Resuming : to, worker, holder));
        return taken;
    }

    private static (JobWork Work, JobStatus ClaimedFrom, long Created) ToWork(JobRow row, ClaimedExtras extras)
    {
        var from = row.Status == nameof(JobStatus.Resuming) ? JobStatus.Resuming : JobStatus.Queued;
        var work = new JobWork(
            Guid.Parse(row.JobId),
            row.RunbookName,
            Enum.Parse<RunbookType>(row.RunbookType),
            extras.SourceText ?? "",
            row.LogVerbose != 0,
            row.LogProgress != 0,
            row.LogDebug != 0,
            row.WorkingDirectory,
            ParametersFromJson(extras.ParametersJson),
            extras.LastStream ?? 0,
            from,
            extras.CpStatementIndex is { } index
                ? new CheckpointData((int)index, extras.CpLastStreamId ?? 0, extras.CpLocation, extras.CpVariablesXml, extras.CpSecret,
                    extras.CpResumePath, extras.CpStateXml, extras.CpStateSecret)
                : null)
        {
            Children = JsonRows(extras.ChildrenJson, e => new ChildRunbookVersion(
                e.GetProperty("n").GetString()!, Guid.Parse(e.GetProperty("v").GetString()!))),
            ModulesGeneration = extras.ModulesGeneration,
        };
        return (work, from, row.CreationTime);
    }

    /// <summary>A job's parameters in order as one JSON array (NULL for none), for the job row aliased <paramref name="job"/>.</summary>
    private static string ParametersJsonSql(string job) =>
        "(SELECT json_agg(json_build_object('n', p.name, 'v', p.value_xml, 's', encode(p.secret, 'base64'), 'd', p.display) " +
        $"ORDER BY p.ordinal) FROM job_parameters p WHERE p.job_id = {job}.job_id)";

    private static List<StoredParameter> ParametersFromJson(string? json) => JsonRows(json, e => new StoredParameter(
        e.GetProperty("n").GetString()!,
        e.GetProperty("v").GetString(),
        e.GetProperty("s").GetString() is { } secret ? Convert.FromBase64String(secret) : null,
        e.GetProperty("d").GetString()));

    /// <summary>The objects of a JSON array (json_agg gives NULL for no rows), in order.</summary>
    private static List<T> JsonRows<T>(string? json, Func<JsonElement, T> read)
    {
        if (json is null)
            return new List<T>();
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray().Select(read).ToList();
    }

    /// <summary>The columns a claim returns beside the job's own.</summary>
    private sealed class ClaimedExtras
    {
        public string? SourceText { get; set; }
        public long? LastStream { get; set; }
        public string? ParametersJson { get; set; }
        public string? ChildrenJson { get; set; }
        public long? CpStatementIndex { get; set; }
        public long? CpLastStreamId { get; set; }
        public string? CpLocation { get; set; }
        public string? CpVariablesXml { get; set; }
        public byte[]? CpSecret { get; set; }
        public string? CpResumePath { get; set; }
        public string? CpStateXml { get; set; }
        public byte[]? CpStateSecret { get; set; }
        public long? ModulesGeneration { get; set; }
    }
}
