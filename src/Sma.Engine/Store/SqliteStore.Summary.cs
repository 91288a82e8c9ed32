using System.Management.Automation;
using Dapper;
using Sma.Engine.Model;

namespace Sma.Engine.Store;

public sealed partial class SqliteStore
{
    // The counters kept beside the history (status_counts: per UTC hour, runbook and status), summed into slices of
    // whole hours. A week by day reads 168 hours x runbooks x statuses rows, whatever the number of jobs.
    private const string CountAll =
        "SELECT (hour - @start) / @slice AS slice_index, status, sum(count) FROM status_counts " +
        "WHERE hour >= @start AND hour < @end GROUP BY slice_index, status";

    private const string CountOneRunbook =
        "SELECT (hour - @start) / @slice AS slice_index, status, sum(count) FROM status_counts " +
        "WHERE hour >= @start AND hour < @end AND runbook_name = @name GROUP BY slice_index, status";

    private const string CountRunbooks =
        "SELECT (hour - @start) / @slice AS slice_index, status, sum(count) FROM status_counts " +
        "WHERE hour >= @start AND hour < @end AND runbook_name IN @names GROUP BY slice_index, status";

    public IReadOnlyList<StatusCount> CountStatusChanges(DateTime start, TimeSpan slice, int sliceCount, string? runbookPattern)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sliceCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(slice, TimeSpan.Zero);
        if (slice.Ticks % TimeSpan.TicksPerHour != 0 || start.Ticks % TimeSpan.TicksPerHour != 0)
            throw new ArgumentException("Summary slices are whole UTC hours or days.", nameof(slice));
        return Read<IReadOnlyList<StatusCount>>(c =>
        {
            var from = Ticks(start) / TimeSpan.TicksPerHour;
            var hours = slice.Ticks / TimeSpan.TicksPerHour;
            var args = new DynamicParameters(new { start = from, slice = hours, end = from + hours * sliceCount });
            string sql;
            if (runbookPattern is null)
            {
                sql = CountAll;
            }
            else if (NamePattern.Of(runbookPattern) is { IsExact: true })
            {
                sql = CountOneRunbook;
                args.Add("name", runbookPattern);
            }
            else
            {
                // The runbook names the pattern matches among the jobs (removed runbooks' jobs count too), with
                // PowerShell's own matcher for what LIKE cannot express ([a-c]).
                var pattern = NamePattern.Of(runbookPattern);
                var names = c.Query<string>(
                        "SELECT DISTINCT runbook_name FROM jobs WHERE runbook_name LIKE @like ESCAPE '\\'",
                        new { like = pattern.Like })
                    .Where(pattern.IsMatch)
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
