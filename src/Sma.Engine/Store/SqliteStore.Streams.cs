using System.Text;
using Dapper;
using Sma.Engine.Model;
using Sma.Engine.States;

namespace Sma.Engine.Store;

public sealed partial class SqliteStore
{
    public IEnumerable<StreamRow> ReadStreams(Guid jobId, StreamType? type, DateTime? since)
    {
        var sql = new StringBuilder(
            "SELECT stream_id, time, stream_type, text, value_xml, secret FROM job_streams WHERE job_id = @id");
        if (type is not null)
            sql.Append(" AND stream_type = @type");
        if (since is not null)
            sql.Append(" AND time >= @since");
        sql.Append(" ORDER BY stream_id");
        using var c = Connect();
        var rows = c.Query<StreamRowData>(
            sql.ToString(),
            new { id = jobId.ToString(), type = (int?)type, since = since is { } s ? Ticks(s) : (long?)null },
            buffered: false);
        foreach (var r in rows)
            yield return new StreamRow(r.StreamId, Utc(r.Time), (StreamType)r.StreamType, r.Text, r.ValueXml, r.Secret);
    }

    public IReadOnlyList<JobStatusChange> ReadHistory(Guid jobId) => Read(c =>
        c.Query<HistoryRow>(
                "SELECT job_id, time, from_status, to_status, worker, details FROM job_history " +
                "WHERE job_id = @id ORDER BY history_id", new { id = jobId.ToString() })
            .Select(h => new JobStatusChange
            {
                JobId = Guid.Parse(h.JobId),
                Time = Utc(h.Time),
                FromStatus = h.FromStatus,
                ToStatus = h.ToStatus,
                Worker = h.Worker,
                Details = h.Details,
            })
            .ToList());

    public void ApplyBatch(IReadOnlyList<StoreOp> ops)
    {
        if (ops.Count == 0)
            return;
        var results = new TransitionResult[ops.Count];
        Write(tx =>
        {
            var c = tx.Connection!;
            for (var i = 0; i < ops.Count; i++)
            {
                switch (ops[i])
                {
                    case AppendStreamsOp append:
                        var id = append.JobId.ToString();
                        c.Execute(
                            "INSERT INTO job_streams (job_id, stream_id, time, stream_type, text, value_xml, secret) " +
                            "VALUES (@id, @StreamId, @Time, @Type, @Text, @ValueXml, @Secret)",
                            append.Rows.Select(r => new
                            {
                                id, r.StreamId, Time = Ticks(r.Time), Type = (int)r.Type, r.Text, r.ValueXml, r.Secret,
                            }), tx);
                        c.Execute(
                            "UPDATE jobs SET error_count = @ErrorCount, warning_count = @WarningCount WHERE job_id = @id",
                            new { append.ErrorCount, append.WarningCount, id }, tx);
                        break;
                    case TransitionOp t:
                        try
                        {
                            results[i] = ApplyTransition(tx, t.JobId, t.Trigger, t.Change, throwIfRefused: false);
                        }
                        catch (SmaException e) when (e.ErrorId == "JobNotFound")
                        {
                            results[i] = TransitionResult.Refused(null);
                        }
                        break;
                }
            }
            return 0;
        });
        for (var i = 0; i < ops.Count; i++)
            if (ops[i] is TransitionOp { Done: { } done })
                done(results[i]);
    }
}
