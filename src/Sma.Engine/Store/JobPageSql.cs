using System.Data;
using System.Text;
using Dapper;
using Sma.Engine.Model;

namespace Sma.Engine.Store;

/// <summary>
/// The SQL of <see cref="IJobPageStore"/>, the same on both stores but for how a column is matched against a list of
/// values (SQLite: <c>IN @list</c>, expanded by Dapper; PostgreSQL: <c>= ANY(@array)</c>). Times are UTC ticks on both.
/// </summary>
internal static class JobPageSql
{
    /// <summary>Matches <c>column</c> against the list parameter <c>name</c>, in the store's dialect.</summary>
    public delegate string InList(string column, string name);

    public static string SqliteIn(string column, string name) => $"{column} IN @{name}";

    public static string PostgresAny(string column, string name) => $"{column} = ANY(@{name})";

    /// <summary>The jobs of <paramref name="page"/>: its filters, its keyset position, order, offset and limit.</summary>
    public static (string Sql, DynamicParameters Args) Page(JobPage page, string jobColumns, InList inList)
    {
        var (where, args) = Filter(page, inList);
        // Column names come from the JobOrder enum, never from a request; every value is a parameter.
        var column = OrderColumn(page.OrderBy);
        var direction = page.Descending ? "DESC" : "ASC";
        if (page.After is { } after)
        {
            where.Append(page.Descending
                ? $" AND ({column} < @afterTime OR ({column} = @afterTime AND job_id > @afterId))"
                : $" AND ({column} > @afterTime OR ({column} = @afterTime AND job_id > @afterId))");
            args.Add("afterTime", after.Time.ToUniversalTime().Ticks);
            args.Add("afterId", after.JobId.ToString());
        }
        args.Add("limit", Math.Max(0, page.Limit));
        args.Add("offset", Math.Max(0, page.Offset));
        return ($"SELECT {jobColumns} FROM jobs WHERE 1 = 1{where} ORDER BY {column} {direction}, job_id LIMIT @limit OFFSET @offset", args);
    }

    /// <summary>How many jobs match <paramref name="page"/>'s filters.</summary>
    public static (string Sql, DynamicParameters Args) Count(JobPage page, InList inList)
    {
        var (where, args) = Filter(page, inList);
        return ($"SELECT count(*) FROM jobs WHERE 1 = 1{where}", args);
    }

    /// <summary>The versions of one runbook (or of all), newest first, without their source.</summary>
    public static IReadOnlyList<RunbookVersion> ListVersions(IDbConnection c, Guid? runbookId) =>
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
                CreationTime = new DateTime(r.CreationTime, DateTimeKind.Utc),
            })
            .ToList();

    private static string OrderColumn(JobOrder order) => order switch
    {
        JobOrder.LastModifiedTime => "last_modified_time",
        _ => "creation_time",
    };

    private static (StringBuilder Where, DynamicParameters Args) Filter(JobPage page, InList inList)
    {
        var where = new StringBuilder();
        var args = new DynamicParameters();
        void In(string column, string name, IEnumerable<string>? values)
        {
            if (values is null)
                return;
            where.Append(" AND ").Append(inList(column, name));
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
            args.Add(name, b.Time.ToUniversalTime().Ticks);
        }
        Bound("creation_time", "createdAfter", page.CreatedAfter, ">", ">=");
        Bound("creation_time", "createdBefore", page.CreatedBefore, "<", "<=");
        Bound("last_modified_time", "modifiedAfter", page.ModifiedAfter, ">", ">=");
        Bound("last_modified_time", "modifiedBefore", page.ModifiedBefore, "<", "<=");
        return (where, args);
    }
}
