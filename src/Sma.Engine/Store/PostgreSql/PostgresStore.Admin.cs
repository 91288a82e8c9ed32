using Dapper;
using Sma.Engine.Model;
using Sma.Engine.States;

namespace Sma.Engine.Store.PostgreSql;

public sealed partial class PostgresStore
{
    public string? GetSetting(string key) => Read(c =>
        c.QuerySingleOrDefault<string?>("SELECT value FROM admin_configuration WHERE key = @key", new { key }));

    public void SetSetting(string key, string value) => Write(tx =>
        tx.Connection!.Execute(
            "INSERT INTO admin_configuration (key, value) VALUES (@key, @value) " +
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            new { key, value }, tx));

    public string GetOrAddSetting(string key, string value) => Write(tx =>
    {
        tx.Connection!.Execute(
            "INSERT INTO admin_configuration (key, value) VALUES (@key, @value) ON CONFLICT (key) DO NOTHING", new { key, value }, tx);
        return tx.Connection!.QuerySingle<string>("SELECT value FROM admin_configuration WHERE key = @key", new { key }, tx);
    });

    public int PurgeFinalJobs(DateTime? cutoff, int max) => Write(tx =>
    {
        var c = tx.Connection!;
        var ids = c.Query<string>(
            "SELECT job_id FROM jobs WHERE status = ANY(@final) AND (@cutoff IS NULL OR last_modified_time < @cutoff) " +
            "ORDER BY last_modified_time LIMIT @max",
            new
            {
                final = Enum.GetValues<JobStatus>().Where(JobTransitions.IsFinal).Select(s => s.ToString()).ToArray(),
                cutoff = cutoff is { } time ? Ticks(time) : (long?)null,
                max,
            }, tx).ToArray();
        if (ids.Length == 0)
            return 0;
        // As in RemoveJob: records have no foreign key; parameters, history and checkpoints cascade from the job row.
        c.Execute("DELETE FROM job_streams WHERE job_id = ANY(@ids)", new { ids }, tx);
        return c.Execute("DELETE FROM jobs WHERE job_id = ANY(@ids)", new { ids }, tx);
    });

    public long CountJobs() => Read(c => c.ExecuteScalar<long>("SELECT count(*) FROM jobs"));
}
