using System.Management.Automation;
using Dapper;
using Sma.Engine.Model;

namespace Sma.Engine.Store;

public sealed partial class SqliteStore
{
    // One pass over the history rows of the range, in ix_history_time (time, to_status), which covers the query
    // without a runbook filter. With one, each row is joined to its job by primary key (CROSS JOIN keeps the
    // history range as the outer loop in SQLite, so the work stays bounded by the time range). Group by h.to_status,
    // never by a bare "status": with jobs joined, SQLite would take that for the job's current status.
    private const string CountAll =
        "SELECT (h.time - @start) / @slice AS slice_index, h.to_status, count(*) " +
        "FROM job_history h INDEXED BY ix_history_time " +
        "WHERE h.time >= @start AND h.time < @end GROUP BY slice_index, h.to_status";

    private const string CountOneRunbook =
        "SELECT (h.time - @start) / @slice AS slice_index, h.to_status, count(*) " +
        "FROM job_history h INDEXED BY ix_history_time CROSS JOIN jobs j ON j.job_id = h.job_id " +
        "WHERE h.time >= @start AND h.time < @end AND j.runbook_name = @name GROUP BY slice_index, h.to_status";

    private const string CountRunbooks =
        "SELECT (h.time - @start) / @slice AS slice_index, h.to_status, count(*) " +
        "FROM job_history h INDEXED BY ix_history_time CROSS JOIN jobs j ON j.job_id = h.job_id " +
        "WHERE h.time >= @start AND h.time < @end AND j.runbook_name IN @names GROUP BY slice_index, h.to_status";

    public IReadOnlyList<StatusCount> CountStatusChanges(DateTime start, TimeSpan slice, int sliceCount, string? runbookPattern)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sliceCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(slice, TimeSpan.Zero);
        return Read<IReadOnlyList<StatusCount>>(c =>
        {
            var from = Ticks(start);
            var args = new DynamicParameters(new { start = from, slice = slice.Ticks, end = from + slice.Ticks * sliceCount });
            string sql;
            if (runbookPattern is null)
            {
                sql = CountAll;
            }
            else if (!WildcardPattern.ContainsWildcardCharacters(runbookPattern))
            {
                sql = CountOneRunbook;
                args.Add("name", runbookPattern);
            }
            else
            {
                // The runbook names the pattern matches among the jobs (removed runbooks' jobs count too), with
                // PowerShell's own matcher for what LIKE cannot express ([a-c]).
                var wildcard = new WildcardPattern(runbookPattern, WildcardOptions.IgnoreCase);
                var names = c.Query<string>(
                        "SELECT DISTINCT runbook_name FROM jobs WHERE runbook_name LIKE @like ESCAPE '\\'",
                        new { like = WildcardToLike(runbookPattern) })
                    .Where(wildcard.IsMatch)
                    .ToArray();
                if (names.Length == 0)
                    return Array.Empty<StatusCount>();
                sql = CountRunbooks;
                args.Add("names", names);
            }
            return c.Query<(long Slice, string Status, long Count)>(sql, args)
                .Select(r => new StatusCount((int)r.Slice, Enum.Parse<JobStatus>(r.Status), (int)r.Count))
                .ToList();
        });
    }
}
