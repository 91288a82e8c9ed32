using Dapper;
using Sma.Engine.Model;
using Sma.Engine.States;

namespace Sma.Engine.Store.PostgreSql;

public sealed partial class PostgresStore
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
                var row = NewJobRow(job.JobId, job.Runbook, job.VersionId, last.Status, Ticks(history[0].Time));
                row.StatusDetails = job.StatusDetails;
                row.StartTime = history.FirstOrDefault(h => h.Status == JobStatus.Running) is { } running ? Ticks(running.Time) : null;
                row.EndTime = JobTransitions.IsFinal(last.Status) ? Ticks(last.Time) : null;
                row.LastModifiedTime = Ticks(last.Time);
                row.Worker = ran ? job.Worker : null;
                row.StartedBy = job.StartedBy;
                row.ErrorCount = job.Records.Count(r => r.Type == StreamType.Error);
                row.WarningCount = job.Records.Count(r => r.Type == StreamType.Warning);
                InsertJob(c, tx, row, job.Parameters);
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
