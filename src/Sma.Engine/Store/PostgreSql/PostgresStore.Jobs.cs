using System.Collections.Specialized;
using System.Management.Automation;
using System.Text;
using Dapper;
using Npgsql;
using Sma.Engine.Model;
using Sma.Engine.States;

namespace Sma.Engine.Store.PostgreSql;

public sealed partial class PostgresStore
{
    private const string JobColumns =
        "job_id, runbook_id, runbook_name, runbook_version_id, runbook_type, status, status_details, job_exception, " +
        "creation_time, start_time, end_time, last_modified_time, assigned_worker, worker, started_by, error_count, " +
        "warning_count, log_verbose, log_progress, log_debug, working_directory, recovery_count, schedule_name";

    // A job with no parameters and no child runbooks is one command, sent in one round trip as its own transaction.
    public Job CreateJob(NewJob job) => job.Parameters.Count == 0 && job.Children.Count == 0
        ? WriteOne(c => InsertNewJob(c, null, job, Now()))
        : Write(tx => InsertNewJob(tx.Connection!, tx, job, Now()));

    /// <summary>Inserts a new Queued job with its first history row (Start-SmaRunbook and schedules alike).</summary>
    private Job InsertNewJob(NpgsqlConnection c, NpgsqlTransaction? tx, NewJob job, long now)
    {
        var row = NewJobRow(job.JobId, job.Runbook, job.VersionId, JobTransitions.Initial, now);
        row.LastModifiedTime = now;
        row.AssignedWorker = job.AssignedWorker;
        row.StartedBy = job.StartedBy;
        row.WorkingDirectory = job.WorkingDirectory;
        row.ScheduleName = job.ScheduleName;
        // The row, its first history row and the wake-up for idle workers on every machine in one round trip: a
        // start's latency is mostly round trips to the server.
        var args = new DynamicParameters(row);
        args.AddDynamicParams(HistoryArgs(row.JobId, now, null, JobTransitions.Initial, job.AssignedWorker, job.Details));
        args.Add("channel", Channel);
        args.Add("payload", Payload(JobsChange.Work));
        c.Execute($"{InsertJobSql}; {InsertHistorySql}; {NotifySql}", args, tx);
        InsertParameters(c, tx, row.JobId, job.Parameters);
        InsertJobSources(c, tx, row.JobId, job.Children);
        // Everything is known: build the job rather than read it back.
        return ToModel(row, job.Parameters);
    }

    /// <summary>A jobs-table row for a job of <paramref name="runbook"/> created at <paramref name="created"/> in <paramref name="status"/>.</summary>
    private JobRow NewJobRow(Guid jobId, Runbook runbook, Guid versionId, JobStatus status, long created) => new()
    {
        JobId = jobId.ToString(),
        RunbookId = runbook.RunbookID.ToString(),
        RunbookName = runbook.RunbookName,
        RunbookVersionId = versionId.ToString(),
        RunbookType = runbook.RunbookType,
        Status = status.ToString(),
        CreationTime = created,
        LogVerbose = runbook.LogVerbose ? 1 : 0,
        LogProgress = runbook.LogProgress ? 1 : 0,
        LogDebug = runbook.LogDebug ? 1 : 0,
    };

    /// <summary>The one INSERT of the jobs table (new and seeded jobs alike).</summary>
    private const string InsertJobSql =
        $"INSERT INTO jobs ({JobColumns}) VALUES (@JobId, @RunbookId, @RunbookName, @RunbookVersionId, @RunbookType, " +
        "@Status, @StatusDetails, @JobException, @CreationTime, @StartTime, @EndTime, @LastModifiedTime, @AssignedWorker, " +
        "@Worker, @StartedBy, @ErrorCount, @WarningCount, @LogVerbose, @LogProgress, @LogDebug, @WorkingDirectory, @RecoveryCount, " +
        "@ScheduleName)";

    /// <summary>Inserts a job row with its parameters in order.</summary>
    private void InsertJob(NpgsqlConnection c, NpgsqlTransaction tx, JobRow row, IReadOnlyList<StoredParameter> parameters)
    {
        c.Execute(InsertJobSql, row, tx);
        InsertParameters(c, tx, row.JobId, parameters);
    }

    private static void InsertParameters(NpgsqlConnection c, NpgsqlTransaction? tx, string jobId, IReadOnlyList<StoredParameter> parameters)
    {
        if (parameters.Count == 0)
            return;
        c.Execute(
            "INSERT INTO job_parameters (job_id, ordinal, name, value_xml, secret, display) " +
            "VALUES (@id, @Ordinal, @Name, @ValueXml, @Secret, @Display)",
            parameters.Select((p, i) => new { id = jobId, Ordinal = i, p.Name, p.ValueXml, p.Secret, p.Display }), tx);
    }

    public Job? GetJob(Guid jobId) => Read(c => JobById(c, null, jobId));

    /// <summary>A job with its parameters in one round trip (Wait-SmaJob and Get-SmaJob -Id read one job at a time).</summary>
    private Job? JobById(NpgsqlConnection c, NpgsqlTransaction? tx, Guid jobId) =>
        c.Query<JobRow, JsonColumn, Job>(
                $"SELECT {JobColumns}, {ParametersJsonSql("jobs")} AS json FROM jobs WHERE job_id = @id",
                // Dapper gives no object for the split part when all its columns are NULL (a job without parameters).
                (row, parameters) => ToModel(row, ParametersFromJson(parameters?.Json)), new { id = jobId.ToString() }, tx,
                splitOn: "json")
            .SingleOrDefault();

    /// <summary>One JSON column beside a row's own (Dapper's multi-mapping needs a type).</summary>
    private sealed class JsonColumn
    {
        public string? Json { get; set; }
    }

    /// <summary>Long id lists go in chunks (one array parameter each), as on SQLite, so both stores page alike.</summary>
    private const int IdChunk = 500;

    public IReadOnlyList<Job> QueryJobs(JobQuery query)
    {
        if (query.Ids is not { Count: > IdChunk } ids)
            return QueryJobsOnce(query);
        var jobs = ids.Chunk(IdChunk).SelectMany(chunk => QueryJobsOnce(query with { Ids = chunk, First = null }))
            .OrderByDescending(j => j.CreationTime).ThenBy(j => j.JobId.ToString());
        return (query.First is { } first ? jobs.Take(first) : jobs).ToList();
    }

    private IReadOnlyList<Job> QueryJobsOnce(JobQuery query) => Read(c =>
    {
        var sql = new StringBuilder($"SELECT {JobColumns} FROM jobs WHERE 1 = 1");
        var args = new DynamicParameters();
        if (query.Ids is { } ids)
        {
            sql.Append(" AND job_id = ANY(@ids)");
            args.Add("ids", ids.Select(i => i.ToString()).ToArray());
        }
        var names = query.RunbookNamePattern is { } pattern ? NamePattern.Of(pattern) : null;
        if (names is { IsExact: true })
        {
            sql.Append(" AND runbook_name = @name");
            args.Add("name", names.Pattern);
        }
        else if (names is not null)
        {
            // ILIKE under the deterministic "C" collation (LIKE refuses the column's nondeterministic one); the pattern
            // holds ASCII letters only and the matcher below decides the rest.
            sql.Append(" AND runbook_name COLLATE \"C\" ILIKE @like ESCAPE '\\'");
            args.Add("like", names.Like);
        }
        if (query.RunbookId is { } runbookId)
        {
            sql.Append(" AND runbook_id = @runbookId");
            args.Add("runbookId", runbookId.ToString());
        }
        if (query.Statuses is { Count: > 0 } statuses)
        {
            sql.Append(" AND status = ANY(@statuses)");
            args.Add("statuses", statuses.Select(s => s.ToString()).ToArray());
        }
        if (query.ModifiedAfter is { } after)
        {
            sql.Append(" AND last_modified_time >= @after");
            args.Add("after", Ticks(after));
        }
        if (query.ModifiedBefore is { } before)
        {
            sql.Append(" AND last_modified_time <= @before");
            args.Add("before", Ticks(before));
        }
        sql.Append(" ORDER BY creation_time DESC, job_id");
        if (query.First is { } first)
        {
            sql.Append(" LIMIT @first");
            args.Add("first", first);
        }
        var rows = c.Query<JobRow>(sql.ToString(), args).AsEnumerable();
        if (names is { IsExact: false })
            rows = rows.Where(r => names.IsMatch(r.RunbookName));
        return LoadJobs(c, null, rows.ToList());
    });

    public Job Transition(Guid jobId, JobTrigger trigger, TransitionChange change, Func<JobStatus, string?, JobTrigger?>? then = null) => Write(tx =>
    {
        var c = tx.Connection!;
        var workerBefore = c.ExecuteScalar<string?>("SELECT worker FROM jobs WHERE job_id = @id", new { id = jobId.ToString() }, tx);
        var first = ApplyTransition(tx, jobId, trigger, change, throwIfRefused: true);
        if (then?.Invoke(first.Current!.Value, workerBefore) is { } next)
            ApplyTransition(tx, jobId, next, change, throwIfRefused: true);
        return JobById(c, tx, jobId)!;
    });

    public TransitionResult TryTransition(Guid jobId, JobTrigger trigger, TransitionChange change) =>
        Write(tx => ApplyTransition(tx, jobId, trigger, change, throwIfRefused: false));

    public void RemoveJob(Guid jobId) => Write(tx =>
    {
        var c = tx.Connection!;
        var id = jobId.ToString();
        var status = c.QuerySingleOrDefault<string>("SELECT status FROM jobs WHERE job_id = @id", new { id }, tx)
            ?? throw SmaErrors.JobNotFound(jobId);
        if (!JobTransitions.IsFinal(Enum.Parse<JobStatus>(status)))
            throw SmaErrors.JobNotFinished(jobId, status);
        // Records have no foreign key (it would cost every insert); the rest cascades from the job row.
        c.Execute("DELETE FROM job_streams WHERE job_id = @id", new { id }, tx);
        c.Execute("DELETE FROM jobs WHERE job_id = @id", new { id }, tx);
        return 0;
    });

    public IReadOnlyList<Guid> FinalJobsEndedBefore(DateTime cutoff, int max) => Read(c =>
        c.Query<string>(
                "SELECT job_id FROM jobs WHERE status = ANY(@final) AND last_modified_time < @cutoff " +
                "ORDER BY last_modified_time LIMIT @max",
                new
                {
                    final = Enum.GetValues<JobStatus>().Where(JobTransitions.IsFinal).Select(s => s.ToString()).ToArray(),
                    cutoff = Ticks(cutoff),
                    max,
                })
            .Select(Guid.Parse)
            .ToList());

    public IReadOnlyDictionary<Guid, JobState> GetStatuses(IReadOnlyCollection<Guid> jobIds)
    {
        if (jobIds.Count == 0)
            return new Dictionary<Guid, JobState>();
        return Read(c => jobIds.Chunk(IdChunk)
            .SelectMany(chunk => c.Query<(string Id, string Status, string? Worker, string? Holder)>(
                "SELECT job_id, status, worker, incarnation_id FROM jobs WHERE job_id = ANY(@ids)",
                new { ids = chunk.Select(i => i.ToString()).ToArray() }))
            .ToDictionary(r => Guid.Parse(r.Id), r => new JobState(Enum.Parse<JobStatus>(r.Status), r.Worker, r.Holder)));
    }

    /// <summary>Statuses in which a worker incarnation may hold a job.</summary>
    private static readonly string[] ActiveStatuses =
        new[] { JobStatus.Starting, JobStatus.Running, JobStatus.Suspending, JobStatus.Stopping, JobStatus.Resuming }
            .Select(s => s.ToString()).ToArray();

    private const string HeldJobColumns =
        "job_id, status, runbook_type, recovery_count, worker, incarnation_id, assigned_worker";

    public IReadOnlyList<JobHolder> HoldersOfActiveJobs(IReadOnlyCollection<Guid>? jobIds)
    {
        const string sql =
            "SELECT h.holder AS Holder, w.incarnation_id, w.name, w.computer_name, w.process_id, w.process_start, w.is_embedded, " +
            "w.status, w.started_time, w.last_heartbeat, w.throttle_limit, w.running_jobs, w.last_error FROM " +
            "(SELECT DISTINCT incarnation_id AS holder FROM jobs WHERE status = ANY(@active) AND incarnation_id IS NOT NULL{0}) h " +
            "LEFT JOIN worker_incarnations w ON w.incarnation_id = h.holder";
        if (jobIds is null)
            return Read(c => c.Query<HolderRow>(string.Format(sql, ""), new { active = ActiveStatuses }).Select(r => r.ToModel()).ToList());
        if (jobIds.Count == 0)
            return Array.Empty<JobHolder>();
        return Read(c => jobIds.Chunk(IdChunk)
            .SelectMany(chunk => c.Query<HolderRow>(string.Format(sql, " AND job_id = ANY(@ids)"),
                new { active = ActiveStatuses, ids = chunk.Select(i => i.ToString()).ToArray() }))
            .Select(r => r.ToModel())
            .DistinctBy(h => h.IncarnationId)
            .ToList());
    }

    public IReadOnlyList<HeldJob> JobsHeldBy(IReadOnlyCollection<string> holders)
    {
        if (holders.Count == 0)
            return Array.Empty<HeldJob>();
        return Read(c => holders.Chunk(IdChunk)
            .SelectMany(chunk => c.Query<HeldJobRow>(
                $"SELECT {HeldJobColumns} FROM jobs WHERE incarnation_id = ANY(@chunk) AND status = ANY(@active)",
                new { chunk, active = ActiveStatuses }))
            .Select(r => r.ToModel())
            .ToList());
    }

    public IReadOnlyList<HeldJob> WaitingPinnedResumes(DateTime before) => Read(c =>
        c.Query<HeldJobRow>(
                $"SELECT {HeldJobColumns} FROM jobs WHERE status = @resuming AND worker IS NULL AND assigned_worker IS NOT NULL " +
                "AND last_modified_time < @before",
                new { resuming = nameof(JobStatus.Resuming), before = Ticks(before) })
            .Select(r => r.ToModel())
            .ToList());

    public IReadOnlyList<RecoveredJob> ApplyRecovery(IReadOnlyList<RecoveryAction> actions)
    {
        if (actions.Count == 0)
            return Array.Empty<RecoveredJob>();
        return Write(tx =>
        {
            var c = tx.Connection!;
            var writer = new StatusWriter(this, tx);
            var applied = new List<RecoveredJob>();
            foreach (var action in actions)
            {
                var worker = writer.ReadState(action.JobId)?.Worker ?? "";
                if (action.Trigger is not { } trigger)
                {
                    // Claimed for a resume but never started: release it for another worker (compare-and-set on status
                    // and holder, as every change).
                    if (c.Execute(
                            "UPDATE jobs SET worker = NULL, incarnation_id = NULL WHERE job_id = @id AND status = @from AND incarnation_id IS NOT DISTINCT FROM @holder",
                            new { id = action.JobId.ToString(), from = action.From.ToString(), holder = action.Holder }, tx) > 0)
                    {
                        applied.Add(new RecoveredJob(action.JobId, worker, action.From, action.From));
                        Notify(tx, JobsChange.Work);
                    }
                    continue;
                }
                if (JobStateMachine.ApplyRecovery(writer, action, trigger) is { } to)
                    applied.Add(new RecoveredJob(action.JobId, worker, action.From, to));
            }
            return applied;
        });
    }

    /// <summary>The one path every status change takes: the state machine plans it, the writer compares and sets.</summary>
    private TransitionResult ApplyTransition(
        NpgsqlTransaction tx, Guid jobId, JobTrigger trigger, TransitionChange change, bool throwIfRefused)
    {
        var result = JobStateMachine.Apply(new StatusWriter(this, tx), jobId, trigger, change, KnownState(jobId));
        if (!result.Applied)
            ForgetState(jobId);
        return !result.Applied && throwIfRefused ? throw SmaErrors.InvalidTransition(jobId, result.Current!.Value, trigger) : result;
    }

    /// <summary>Reads a job's state and persists planned changes inside one write transaction.</summary>
    private sealed class StatusWriter(PostgresStore store, NpgsqlTransaction tx) : IStatusWriter
    {
        public JobState? ReadState(Guid jobId)
        {
            var row = tx.Connection!.Query<(string Status, string? Worker, string? Holder)>(
                "SELECT status, worker, incarnation_id FROM jobs WHERE job_id = @id", new { id = jobId.ToString() }, tx).FirstOrDefault();
            return row.Status is null ? null : new JobState(Enum.Parse<JobStatus>(row.Status), row.Worker, row.Holder);
        }

        public bool CompareAndSet(StatusChange change)
        {
            var c = tx.Connection!;
            var id = change.JobId.ToString();
            var now = change.Time is { } at ? Ticks(at) : store.Now();
            // The row and its history row in one statement: the history row is written only if the row was.
            var updated = c.Execute(
                "WITH changed AS (UPDATE jobs SET status = @To, status_details = @Details, " +
                "job_exception = CASE WHEN @ClearException THEN NULL ELSE coalesce(@Exception, job_exception) END, " +
                "worker = @Worker, incarnation_id = CASE WHEN @ReleaseHolder THEN NULL ELSE incarnation_id END, " +
                "start_time = CASE WHEN @StampStart AND start_time IS NULL THEN @now ELSE start_time END, " +
                "end_time = CASE WHEN @StampEnd THEN @now ELSE end_time END, " +
                "error_count = coalesce(@ErrorCount, error_count), warning_count = coalesce(@WarningCount, warning_count), " +
                "recovery_count = recovery_count + @RecoveryIncrement, last_modified_time = @now " +
                "WHERE job_id = @id AND status = @From AND incarnation_id IS NOT DISTINCT FROM @FromHolder RETURNING job_id) " +
                "INSERT INTO job_history (job_id, time, from_status, to_status, worker, details) " +
                "SELECT job_id, @now, @From, @To, @HistoryWorker, @Details FROM changed",
                new
                {
                    To = change.To.ToString(),
                    change.Details,
                    change.ClearException,
                    change.Exception,
                    change.Worker,
                    change.ReleaseHolder,
                    change.StampStart,
                    change.StampEnd,
                    change.ErrorCount,
                    change.WarningCount,
                    change.RecoveryIncrement,
                    now,
                    id,
                    From = change.From.ToString(),
                    change.FromHolder,
                    change.HistoryWorker,
                }, tx);
            if (updated == 0)
                return false;
            store.OweCount(tx, id, now, change.To);
            store.KnowState(change.JobId, new JobState(change.To, change.Worker, change.ReleaseHolder ? null : change.FromHolder));
            // Someone waits for these: a worker for a job to resume, or the job's worker for a stop or suspend request.
            if (change.To is JobStatus.Resuming)
                Notify(tx, JobsChange.Work);
            else if (change.To is JobStatus.Stopping or JobStatus.Suspending)
                Notify(tx, JobsChange.Request);
            return true;
        }
    }

    /// <summary>A history row, and the hourly counter of jobs entering that status (the dashboard reads those).</summary>
    private const string InsertHistoryRowSql =
        "INSERT INTO job_history (job_id, time, from_status, to_status, worker, details) " +
        "VALUES (@hJob, @hTime, @hFrom, @hTo, @hWorker, @hDetails)";

    private const string InsertHistorySql = InsertHistoryRowSql + "; " +
        "INSERT INTO status_counts (hour, runbook_name, status, count) " +
        "SELECT @hHour, runbook_name, @hTo, 1 FROM jobs WHERE job_id = @hJob " +
        "ON CONFLICT (hour, runbook_name, status) DO UPDATE SET count = status_counts.count + 1";

    private static object HistoryArgs(string jobId, long time, JobStatus? from, JobStatus to, string? worker, string? details) => new
    {
        hJob = jobId, hTime = time, hFrom = from?.ToString(), hTo = to.ToString(), hWorker = worker, hDetails = details,
        hHour = time / TimeSpan.TicksPerHour,
    };

    /// <summary>A history row now, and its counter when <paramref name="tx"/> commits (see <see cref="OweCount"/>).</summary>
    private void InsertHistory(
        NpgsqlConnection c, NpgsqlTransaction tx, string jobId, long time, JobStatus? from, JobStatus to, string? worker, string? details)
    {
        c.Execute(InsertHistoryRowSql, HistoryArgs(jobId, time, from, to, worker, details), tx);
        OweCount(tx, jobId, time, to);
    }

    private Dictionary<string, List<StoredParameter>> ReadParameters(
        NpgsqlConnection c, NpgsqlTransaction? tx, IReadOnlyList<string> jobIds)
    {
        var result = jobIds.ToDictionary(id => id, _ => new List<StoredParameter>());
        foreach (var chunk in jobIds.Chunk(500))
        {
            foreach (var p in c.Query<ParameterRow>(
                         "SELECT job_id, ordinal, name, value_xml, secret, display FROM job_parameters " +
                         "WHERE job_id = ANY(@chunk) ORDER BY job_id, ordinal", new { chunk }, tx))
                result[p.JobId].Add(p.ToModel());
        }
        return result;
    }

    private List<Job> LoadJobs(NpgsqlConnection c, NpgsqlTransaction? tx, IReadOnlyList<JobRow> rows)
    {
        var parameters = ReadParameters(c, tx, rows.Select(r => r.JobId).ToList());
        return rows.Select(r => ToModel(r, parameters[r.JobId])).ToList();
    }

    private Job ToModel(JobRow r, IReadOnlyList<StoredParameter> parameters)
    {
        var shown = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
        foreach (var p in parameters)
            shown[p.Name] = p.Secret is not null ? p.Display : p.ValueXml is null ? null : PSSerializer.Deserialize(p.ValueXml);
        return new Job
        {
            JobId = Guid.Parse(r.JobId),
            RunbookId = Guid.Parse(r.RunbookId),
            RunbookName = r.RunbookName,
            RunbookVersionId = Guid.Parse(r.RunbookVersionId),
            State = Enum.Parse<JobStatus>(r.Status),
            StatusDetails = r.StatusDetails,
            JobException = r.JobException,
            JobParameters = shown,
            CreationTime = Utc(r.CreationTime),
            StartTime = Utc(r.StartTime),
            EndTime = Utc(r.EndTime),
            LastModifiedTime = Utc(r.LastModifiedTime),
            Worker = r.Worker,
            StartedBy = r.StartedBy,
            ScheduleName = r.ScheduleName,
            ErrorCount = (int)r.ErrorCount,
            WarningCount = (int)r.WarningCount,
        };
    }
}
