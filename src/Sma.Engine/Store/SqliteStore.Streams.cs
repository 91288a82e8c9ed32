using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using Sma.Engine.Model;
using Sma.Engine.States;
using SQLitePCL;

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
    /// The hot path of an output-heavy job: one prepared statement per batch, its parameters bound by position through
    /// SQLite's own API (Microsoft.Data.Sqlite re-resolves every parameter by name on each execution, which profiled
    /// at a third of the writer thread; Dapper's per-row rebinding cost more before that). Parameterized, like all SQL,
    /// and inside the batch's transaction on the same connection.
    /// </summary>
    private static void InsertStreams(SqliteTransaction tx, AppendStreamsOp append)
    {
        var c = tx.Connection!;
        var id = append.JobId.ToString();
        var db = c.Handle!;
        Check(db, raw.sqlite3_prepare_v2(db,
            "INSERT INTO job_streams (job_id, stream_id, time, stream_type, text, value_xml, secret) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            out var insert));
        using (insert)
        {
            Check(db, raw.sqlite3_bind_text(insert, 1, id));
            foreach (var row in append.Rows)
            {
                Check(db, raw.sqlite3_bind_int64(insert, 2, row.StreamId));
                Check(db, raw.sqlite3_bind_int64(insert, 3, Ticks(row.Time)));
                Check(db, raw.sqlite3_bind_int(insert, 4, (int)row.Type));
                Check(db, raw.sqlite3_bind_text(insert, 5, row.Text));
                Check(db, row.ValueXml is null ? raw.sqlite3_bind_null(insert, 6) : raw.sqlite3_bind_text(insert, 6, row.ValueXml));
                Check(db, row.Secret is null ? raw.sqlite3_bind_null(insert, 7) : raw.sqlite3_bind_blob(insert, 7, row.Secret));
                var step = raw.sqlite3_step(insert);
                if (step != raw.SQLITE_DONE)
                    Check(db, step);
                raw.sqlite3_reset(insert);
            }
        }
        c.Execute(
            "UPDATE jobs SET error_count = @ErrorCount, warning_count = @WarningCount WHERE job_id = @id",
            new { append.ErrorCount, append.WarningCount, id }, tx);
    }

    /// <summary>An SQLite result code other than OK as the exception Microsoft.Data.Sqlite would raise (busy ones are retried).</summary>
    private static void Check(sqlite3 db, int rc)
    {
        if (rc != raw.SQLITE_OK)
            throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(db));
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
