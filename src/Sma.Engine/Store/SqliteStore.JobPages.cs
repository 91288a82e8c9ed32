using Dapper;
using Sma.Engine.Model;

namespace Sma.Engine.Store;

public sealed partial class SqliteStore : IJobPageStore
{
    public IReadOnlyList<Job> PageJobs(JobPage page) => Read(c =>
    {
        var (sql, args) = JobPageSql.Page(page, JobColumns, JobPageSql.SqliteIn);
        return LoadJobs(c, null, c.Query<JobRow>(sql, args).ToList());
    });

    public long CountJobs(JobPage page) => Read(c =>
    {
        var (sql, args) = JobPageSql.Count(page, JobPageSql.SqliteIn);
        return c.ExecuteScalar<long>(sql, args);
    });

    public IReadOnlyList<RunbookVersion> ListVersions(Guid? runbookId) => Read(c => JobPageSql.ListVersions(c, runbookId));
}
