using System.Text;
using Dapper;
using Sma.Engine.Model;

namespace Sma.Engine.Store.PostgreSql;

/// <summary>Keyset pages of jobs, their counts and runbook versions for the web service and portal (IJobPageStore).</summary>
public sealed partial class PostgresStore : IJobPageStore
{
    public IReadOnlyList<Job> PageJobs(JobPage page) => Read(c =>
    {
        var (where, args) = PageFilter(page);
        // Column names come from the JobOrder enum, never from a request; every value is a parameter.
        var column = OrderColumn(page.OrderBy);
        var direction = page.Descending ? "DESC" : "ASC";
        if (page.After is { } after)
        {
            where.Append(page.Descending
                ? $" AND ({column} < @afterTime OR ({column} = @afterTime AND job_id > @afterId))"
                : $" AND ({column} > @afterTime OR ({column} = @afterTime AND job_id > @afterId))");
            args.Add("afterTime", Ticks(after.Time));
            args.Add("afterId", after.JobId.ToString());
        }
        args.Add("limit", Math.Max(0, page.Limit));
        args.Add("offset", Math.Max(0, page.Offset));
        var rows = c.Query<JobRow>(
            $"SELECT {JobColumns} FROM jobs WHERE 1 = 1{where} ORDER BY {column} {direction}, job_id LIMIT @limit OFFSET @offset",
            args).ToList();
        return LoadJobs(c, null, rows);
    });

    public long CountJobs(JobPage page) => Read(c =>
    {
        var (where, args) = PageFilter(page);
        return c.ExecuteScalar<long>($"SELECT count(*) FROM jobs WHERE 1 = 1{where}", args);
    });

    public IReadOnlyList<RunbookVersion> ListVersions(Guid? runbookId) => Read(c =>
        c.Query<(string VersionId, string RunbookId, long VersionNumber, long CreationTime, string? DraftVersionId)>(
                "SELECT v.version_id, v.runbook_id, v.version_number, v.creation_time, r.draft_version_id " +
                "FROM runbook_versions v LEFT JOIN runbooks r ON r.runbook_id = v.runbook_id " +
                (runbookId is null ? "" : "WHERE v.runbook_id = @id ") +
                "ORDER BY v.creation_time DESC, v.version_id",
                new { id = runbookId?.ToString() })
            .Select(r => new RunbookVersion
            {
                RunbookVersionID = Guid.Parse(r.VersionId),
                RunbookID = Guid.Parse(r.RunbookId),
                VersionNumber = (int)r.VersionNumber,
                IsDraft = r.DraftVersionId == r.VersionId,
                CreationTime = Utc(r.CreationTime),
            })
            .ToList());

    private static string OrderColumn(JobOrder order) => order switch
    {
        JobOrder.LastModifiedTime => "last_modified_time",
        _ => "creation_time",
    };

    private static (StringBuilder Where, DynamicParameters Args) PageFilter(JobPage page)
    {
        var where = new StringBuilder();
        var args = new DynamicParameters();
        void In(string column, string name, IEnumerable<string>? values)
        {
            if (values is null)
                return;
            where.Append($" AND {column} = ANY(@{name})");
            args.Add(name, values.ToArray());
        }
        In("job_id", "ids", page.Ids?.Select(i => i.ToString()));
        In("runbook_id", "runbookIds", page.RunbookIds?.Select(i => i.ToString()));
        In("runbook_name", "runbookNames", page.RunbookNames);
        In("runbook_version_id", "versionIds", page.VersionIds?.Select(i => i.ToString()));
        In("status", "statuses", page.Statuses?.Select(s => s.ToString()));
        void Bound(string column, string name, TimeBound? bound, string strict, string inclusive)
        {
            if (bound is not { } b)
                return;
            where.Append($" AND {column} {(b.Inclusive ? inclusive : strict)} @{name}");
            args.Add(name, Ticks(b.Time));
        }
        Bound("creation_time", "createdAfter", page.CreatedAfter, ">", ">=");
        Bound("creation_time", "createdBefore", page.CreatedBefore, "<", "<=");
        Bound("last_modified_time", "modifiedAfter", page.ModifiedAfter, ">", ">=");
        Bound("last_modified_time", "modifiedBefore", page.ModifiedBefore, "<", "<=");
        return (where, args);
    }
}
