using System.Runtime.CompilerServices;
using Dapper;
using Npgsql;
using Sma.Engine.Model;

namespace Sma.Engine.Store.PostgreSql;

public sealed partial class PostgresStore
{
    // The dashboard's hourly counters (status_counts) a write transaction owes, added in one statement at its end in
    // key order. Bumped one by one as each status change was written, two workers' batches (one with a Completed
    // then a Running, the other the reverse) locked the same counter rows in opposite orders and deadlocked: the
    // server waits deadlock_timeout (1 s) before failing one of them, and the writer then retries it.
    private readonly ConditionalWeakTable<NpgsqlTransaction, List<(long Hour, string JobId, string Status)>> _owedCounts = new();

    private const string AddCountsSql =
        "INSERT INTO status_counts (hour, runbook_name, status, count) " +
        "SELECT b.hour, j.runbook_name, b.status, count(*) FROM unnest(@hours, @jobs, @statuses) AS b(hour, job_id, status) " +
        "JOIN jobs j ON j.job_id = b.job_id GROUP BY b.hour, j.runbook_name, b.status ORDER BY b.hour, j.runbook_name, b.status " +
        "ON CONFLICT (hour, runbook_name, status) DO UPDATE SET count = status_counts.count + EXCLUDED.count";

    /// <summary>Counts a job entering <paramref name="to"/> in <paramref name="time"/>'s hour when <paramref name="tx"/> commits.</summary>
    private void OweCount(NpgsqlTransaction tx, string jobId, long time, JobStatus to) =>
        _owedCounts.GetOrCreateValue(tx).Add((time / TimeSpan.TicksPerHour, jobId, to.ToString()));

    /// <summary>Adds what <paramref name="tx"/> owes to the counters, just before it commits (locks held the least).</summary>
    private void PayCounts(NpgsqlTransaction tx)
    {
        if (!_owedCounts.TryGetValue(tx, out var owed))
            return;
        _owedCounts.Remove(tx);
        if (owed.Count == 0)
            return;
        tx.Connection!.Execute(AddCountsSql, new
        {
            hours = owed.Select(o => o.Hour).ToArray(),
            jobs = owed.Select(o => o.JobId).ToArray(),
            statuses = owed.Select(o => o.Status).ToArray(),
        }, tx);
    }
}
