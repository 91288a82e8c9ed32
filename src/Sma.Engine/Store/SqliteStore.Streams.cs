using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using Sma.Engine.Model;
using Sma.Engine.States;

namespace Sma.Engine.Store;

public sealed partial class SqliteStore
{
    /// <summary>
    /// A job's records in order, read lazily. The hot path of reading an output-heavy job back: a plain parameterized
    /// reader with typed getters (Dapper's per-row mapping profiled at half of a 100,000-record read).
    /// </summary>
    public IEnumerable<StreamRow> ReadStreams(Guid jobId, StreamType? type, DateTime? since)
    {
        using var lease = Rent();
        using var query = lease.Connection.CreateCommand();
        var sql = new StringBuilder(
            "SELECT stream_id, time, stream_type, text, value_xml, secret FROM job_streams WHERE job_id = $id");
        query.Parameters.AddWithValue("$id", jobId.ToString());
        if (type is not null)
        {
            sql.Append(" AND stream_type = $type");
            query.Parameters.AddWithValue("$type", (int)type);
        }
        if (since is not null)
        {
            sql.Append(" AND time >= $since");
            query.Parameters.AddWithValue("$since", Ticks(since.Value));
        }
        query.CommandText = sql.Append(" ORDER BY stream_id").ToString();
        using var reader = query.ExecuteReader();
        while (reader.Read())
        {
            yield return new StreamRow(
                reader.GetInt64(0),
                Utc(reader.GetInt64(1)),
                (StreamType)reader.GetInt32(2),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : (byte[])reader.GetValue(5));
        }
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
        var checkpointed = new JobStatus?[ops.Count];
        Write(tx =>
        {
            var c = tx.Connection!;
            for (var i = 0; i < ops.Count; i++)
            {
                switch (ops[i])
                {
                    case AppendStreamsOp append:
                        InsertStreams(tx, append);
                        break;
                    case SaveCheckpointOp save:
                        checkpointed[i] = SaveCheckpoint(tx, save);
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
        {
            if (ops[i] is TransitionOp { Done: { } done })
                done(results[i]);
            else if (ops[i] is SaveCheckpointOp { Done: { } saved })
                saved(checkpointed[i]);
        }
    }

    /// <summary>
    /// The hot path of an output-heavy job: one prepared statement per batch with its parameters rebound per row
    /// (Dapper re-binds by name on every row, which profiled at a third of the writer thread). Parameterized, like all SQL.
    /// </summary>
    private static void InsertStreams(SqliteTransaction tx, AppendStreamsOp append)
    {
        var c = tx.Connection!;
        var id = append.JobId.ToString();
        using (var insert = c.CreateCommand())
        {
            insert.Transaction = tx;
            insert.CommandText = "INSERT INTO job_streams (job_id, stream_id, time, stream_type, text, value_xml, secret) " +
                                 "VALUES ($job, $id, $time, $type, $text, $xml, $secret)";
            var job = insert.Parameters.Add("$job", SqliteType.Text);
            var streamId = insert.Parameters.Add("$id", SqliteType.Integer);
            var time = insert.Parameters.Add("$time", SqliteType.Integer);
            var type = insert.Parameters.Add("$type", SqliteType.Integer);
            var text = insert.Parameters.Add("$text", SqliteType.Text);
            var xml = insert.Parameters.Add("$xml", SqliteType.Text);
            var secret = insert.Parameters.Add("$secret", SqliteType.Blob);
            job.Value = id;
            insert.Prepare();
            foreach (var row in append.Rows)
            {
                streamId.Value = row.StreamId;
                time.Value = Ticks(row.Time);
                type.Value = (int)row.Type;
                text.Value = row.Text;
                xml.Value = (object?)row.ValueXml ?? DBNull.Value;
                secret.Value = (object?)row.Secret ?? DBNull.Value;
                insert.ExecuteNonQuery();
            }
        }
        c.Execute(
            "UPDATE jobs SET error_count = @ErrorCount, warning_count = @WarningCount WHERE job_id = @id",
            new { append.ErrorCount, append.WarningCount, id }, tx);
    }

    /// <summary>
    /// Keeps the job's latest checkpoint and, in the same transaction, suspends the job when the runbook asked
    /// (Suspend-Workflow) or a Suspend-SmaJob request is pending. Returns the job's status afterwards.
    /// </summary>
    private static JobStatus? SaveCheckpoint(SqliteTransaction tx, SaveCheckpointOp save)
    {
        var c = tx.Connection!;
        var id = save.JobId.ToString();
        var status = c.QuerySingleOrDefault<string>("SELECT status FROM jobs WHERE job_id = @id", new { id }, tx);
        if (status is null)
            return null;
        var cp = save.Checkpoint;
        c.Execute(
            "INSERT INTO checkpoints (job_id, time, statement_index, last_stream_id, location, variables_xml, secret) " +
            "VALUES (@id, @time, @StatementIndex, @LastStreamId, @Location, @VariablesXml, @Secret) ON CONFLICT (job_id) DO UPDATE SET " +
            "time = excluded.time, statement_index = excluded.statement_index, last_stream_id = excluded.last_stream_id, " +
            "location = excluded.location, variables_xml = excluded.variables_xml, secret = excluded.secret",
            new { id, time = Now(), cp.StatementIndex, cp.LastStreamId, cp.Location, cp.VariablesXml, cp.Secret }, tx);
        var current = Enum.Parse<JobStatus>(status);
        JobTrigger? trigger = save.Suspend ? JobTrigger.SuspendedByRunbook
            : current == JobStatus.Suspending ? JobTrigger.CheckpointReached
            : null;
        if (trigger is null)
            return current;
        var details = save.Suspend ? "Suspended by Suspend-Workflow in the runbook." : "Suspended at a checkpoint, as requested.";
        var result = ApplyTransition(tx, save.JobId, trigger.Value, new TransitionChange { Details = details }, throwIfRefused: false);
        return result.Applied ? result.To : current;
    }
}
