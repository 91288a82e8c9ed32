using Dapper;
using Sma.Engine.Model;
using Sma.Engine.States;

namespace Sma.Engine.Store;

public sealed partial class SqliteStore
{
    public void SeedJobs(IReadOnlyList<SeedJob> jobs)
    {
        if (jobs.Count == 0)
            return;
        Write(tx =>
        {
            var c = tx.Connection!;
            foreach (var job in jobs)
            {
                var id = job.JobId.ToString();
                var history = job.History;
                var last = history[^1];
                // A worker holds the job from its claim (Starting) on; a job stopped while queued never had one.
                var claimed = history.ToList().FindIndex(h => h.Status == JobStatus.Starting);
                var ran = claimed >= 0;
                c.Execute(
                    $"INSERT INTO jobs ({JobColumns}) VALUES (@id, @runbookId, @name, @versionId, @type, @status, @StatusDetails, " +
                    "NULL, @created, @started, @ended, @modified, NULL, @worker, @StartedBy, @errors, @warnings, @LogVerbose, " +
                    "@LogProgress, @LogDebug, NULL, 0)",
                    new
                    {
                        id,
                        runbookId = job.Runbook.RunbookID.ToString(),
                        name = job.Runbook.RunbookName,
                        versionId = job.VersionId.ToString(),
                        type = job.Runbook.RunbookType,
                        status = last.Status.ToString(),
                        job.StatusDetails,
                        created = Ticks(history[0].Time),
                        started = history.FirstOrDefault(h => h.Status == JobStatus.Running) is { } running ? Ticks(running.Time) : (long?)null,
                        ended = JobTransitions.IsFinal(last.Status) ? Ticks(last.Time) : (long?)null,
                        modified = Ticks(last.Time),
                        worker = ran ? job.Worker : null,
                        job.StartedBy,
                        errors = job.Records.Count(r => r.Type == StreamType.Error),
                        warnings = job.Records.Count(r => r.Type == StreamType.Warning),
                        job.Runbook.LogVerbose,
                        job.Runbook.LogProgress,
                        job.Runbook.LogDebug,
                    }, tx);
                c.Execute(
                    "INSERT INTO job_parameters (job_id, ordinal, name, value_xml, secret, display) " +
                    "VALUES (@id, @Ordinal, @Name, @ValueXml, @Secret, @Display)",
                    job.Parameters.Select((p, i) => new { id, Ordinal = i, p.Name, p.ValueXml, p.Secret, p.Display }), tx);
                for (var i = 0; i < history.Count; i++)
                {
                    InsertHistory(c, tx, id, Ticks(history[i].Time), i == 0 ? null : history[i - 1].Status, history[i].Status,
                        ran && i >= claimed ? job.Worker : null, i == history.Count - 1 ? job.StatusDetails : null);
                }
                c.Execute(
                    "INSERT INTO job_streams (job_id, stream_id, time, stream_type, text, value_xml, secret) " +
                    "VALUES (@id, @StreamId, @Time, @Type, @Text, @ValueXml, @Secret)",
                    job.Records.Select(r => new { id, r.StreamId, Time = Ticks(r.Time), Type = (int)r.Type, r.Text, r.ValueXml, r.Secret }), tx);
            }
            return 0;
        });
    }
}
