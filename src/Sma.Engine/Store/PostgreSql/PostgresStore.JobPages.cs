using Dapper;
using Sma.Engine.Model;

namespace Sma.Engine.Store.PostgreSql;

/// <summary>Keyset pages of jobs, their counts and runbook versions for the web service and portal (IJobPageStore).</summary>
public sealed partial class PostgresStore : IJobPageStore
{
    public IReadOnlyList<Job> PageJobs(JobPage page) => Read(c =>
    {
        var (sql, args) = JobPageSql.Page(page, JobColumns, JobPageSql.PostgresAny);
        return LoadJobs(c, null, c.Query<JobRow>(sql, args).ToList());
    });

    public long CountJobs(JobPage page) => Read(c =>
    {
        var (sql, args) = JobPageSql.Count(page, JobPageSql.PostgresAny);
        return c.ExecuteScalar<long>(sql, args);
    });

    public IReadOnlyList<RunbookVersion> ListVersions(Guid? runbookId) => Read(c => JobPageSql.ListVersions(c, runbookId));
}
