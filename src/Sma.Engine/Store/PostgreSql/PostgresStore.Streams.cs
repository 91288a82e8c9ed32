using System.Text;
using Dapper;
using Npgsql;
using Sma.Engine.Model;
using Sma.Engine.States;

namespace Sma.Engine.Store.PostgreSql;

public sealed partial class PostgresStore
{
    /// <summary>
    /// A job's records in order, read lazily. The hot path of reading an output-heavy job back: a plain parameterized
    /// reader with typed getters (Dapper's per-row mapping profiled at half of a 100,000-record read).
    /// </summary>
    public IEnumerable<StreamRow> ReadStreams(Guid jobId, StreamType? type, DateTime? since)
    {
        using var connection = OpenForRead();
        using var query = connection.CreateCommand();
        var sql = new StringBuilder(
            "SELECT stream_id, time, stream_type, text, value_xml, secret FROM job_streams WHERE job_id = @id");
        query.Parameters.AddWithValue("id", jobId.ToString());
        if (type is not null)
        {
            sql.Append(" AND stream_type = @type");
            query.Parameters.AddWithValue("type", (int)type);
        }
        if (since is not null)
        {
            sql.Append(" AND time >= @since");
            query.Parameters.AddWithValue("since", Ticks(since.Value));
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
    /// The hot path of an output-heavy job: a whole batch in one multi-row INSERT from parallel arrays (unnest), and the
    /// job's error and warning counts, in one statement (one round trip however many records) inside the batch's
    /// transaction.
    /// </summary>
    private static void InsertStreams(NpgsqlTransaction tx, AppendStreamsOp append)
    {
        const string countsSql = "UPDATE jobs SET error_count = @errors, warning_count = @warnings WHERE job_id = @id";
        var rows = append.Rows;
        using var command = new NpgsqlCommand(rows.Count == 0 ? countsSql :
            "WITH added AS (INSERT INTO job_streams (job_id, stream_id, time, stream_type, text, value_xml, secret) " +
            "SELECT @id, * FROM unnest(@ids, @times, @types, @texts, @xmls, @secrets)) " + countsSql, tx.Connection, tx);
        command.Parameters.AddWithValue("id", append.JobId.ToString());
        command.Parameters.AddWithValue("errors", (long)append.ErrorCount);
        command.Parameters.AddWithValue("warnings", (long)append.WarningCount);
        if (rows.Count > 0)
        {
            command.Parameters.AddWithValue("ids", rows.Select(r => r.StreamId).ToArray());
            command.Parameters.AddWithValue("times", rows.Select(r => Ticks(r.Time)).ToArray());
            command.Parameters.AddWithValue("types", rows.Select(r => (int)r.Type).ToArray());
            command.Parameters.AddWithValue("texts", rows.Select(r => r.Text).ToArray());
            command.Parameters.Add(new NpgsqlParameter("xmls", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text)
            {
                Value = rows.Select(r => (object?)r.ValueXml ?? DBNull.Value).ToArray(),
            });
            command.Parameters.Add(new NpgsqlParameter("secrets", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Bytea)
            {
                Value = rows.Select(r => (object?)r.Secret ?? DBNull.Value).ToArray(),
            });
        }
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Keeps the job's latest checkpoint and, in the same transaction, suspends the job when the runbook asked
    /// (Suspend-Workflow) or a Suspend-SmaJob request is pending. Returns the job's status afterwards.
    /// </summary>
    private JobStatus? SaveCheckpoint(NpgsqlTransaction tx, SaveCheckpointOp save)
    {
        var c = tx.Connection!;
        var id = save.JobId.ToString();
        var status = c.QuerySingleOrDefault<string>("SELECT status FROM jobs WHERE job_id = @id", new { id }, tx);
        if (status is null)
            return null;
        var cp = save.Checkpoint;
        c.Execute(
            "INSERT INTO checkpoints (job_id, time, statement_index, last_stream_id, location, variables_xml, secret, " +
            "resume_path, state_xml, state_secret) " +
            "VALUES (@id, @time, @StatementIndex, @LastStreamId, @Location, @VariablesXml, @Secret, @ResumePath, @StateXml, @StateSecret) " +
            "ON CONFLICT (job_id) DO UPDATE SET " +
            "time = excluded.time, statement_index = excluded.statement_index, last_stream_id = excluded.last_stream_id, " +
            "location = excluded.location, variables_xml = excluded.variables_xml, secret = excluded.secret, " +
            "resume_path = excluded.resume_path, state_xml = excluded.state_xml, state_secret = excluded.state_secret",
            new
            {
                id, time = Now(), cp.StatementIndex, cp.LastStreamId, cp.Location, cp.VariablesXml, cp.Secret,
                cp.ResumePath, cp.StateXml, cp.StateSecret,
            }, tx);
        var current = Enum.Parse<JobStatus>(status);
        if (JobStateMachine.AtCheckpoint(current, save.Suspend) is not { } suspend)
            return current;
        var result = ApplyTransition(tx, save.JobId, suspend.Trigger, new TransitionChange { Details = suspend.Details }, throwIfRefused: false);
        return result.Applied ? result.To : current;
    }
}
