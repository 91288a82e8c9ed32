using Dapper;
using Microsoft.Data.Sqlite;
using Sma.Engine.Execution;
using Sma.Engine.Model;
using Sma.Engine.Services;
using Sma.Engine.Store;
using Xunit;

namespace Sma.Engine.Tests;

public class RetentionTests : RuntimeTestBase
{
    private static readonly DateTime Now = new(2024, 3, 10, 14, 25, 0, DateTimeKind.Utc);

    private readonly SeedService _seed;
    private readonly AdminConfigurationService _settings;

    public RetentionTests()
    {
        _seed = new SeedService(Runtime);
        _settings = new AdminConfigurationService(Runtime);
        Import("Old", "param($A) 'x'");
    }

    private Guid Ended(DateTime at, JobStatus final = JobStatus.Completed) => _seed.Seed(new[]
    {
        new SeedRequest("Old", new[]
        {
            new SeedStatus(JobStatus.Queued, at.AddMinutes(-2)), new SeedStatus(JobStatus.Starting, at.AddMinutes(-1)),
            new SeedStatus(JobStatus.Running, at.AddMinutes(-1)), new SeedStatus(final, at),
        })
        {
            Parameters = new System.Collections.Hashtable { ["A"] = "a" },
            Output = new[] { "one", "two" },
        },
    })[0];

    private long Rows(string table, Guid job)
    {
        using var c = Temp.Connect();
        // The table name is one of ours, from the test itself.
        return c.ExecuteScalar<long>($"SELECT count(*) FROM {table} WHERE job_id = @id", new { id = job.ToString() });
    }

    [Fact]
    public void The_retention_period_is_30_days_until_changed_and_stays_within_1_to_3650()
    {
        Assert.Equal(30, _settings.Get().PurgeJobsOlderThanCountDays);
        Assert.Equal(Runtime.Store.Description, _settings.Get().StorePath); // the file path on SQLite
        if (!TestStores.IsPostgres)
            Assert.Equal(Temp.Path, _settings.Get().StorePath);
        Assert.Equal(7, _settings.Set(7).PurgeJobsOlderThanCountDays);
        Assert.Equal(7, new AdminConfigurationService(Runtime).Get().PurgeJobsOlderThanCountDays);
        Assert.Equal("InvalidAdminConfigurationValue", Assert.Throws<SmaException>(() => _settings.Set(0)).ErrorId);
        Assert.Equal("InvalidAdminConfigurationValue", Assert.Throws<SmaException>(() => _settings.Set(3651)).ErrorId);
        Assert.Equal(7, _settings.Get().PurgeJobsOlderThanCountDays);
        Runtime.Store.SetSetting(AdminConfigurationService.PurgeDaysKey, "not a number");
        Assert.Equal(30, _settings.Get().PurgeJobsOlderThanCountDays);
    }

    [Fact]
    public void A_purge_deletes_ended_jobs_past_the_period_with_everything_they_recorded_and_keeps_the_rest()
    {
        var old = Ended(Now.AddDays(-31));
        var oldFailed = Ended(Now.AddDays(-40), JobStatus.Failed);
        var recent = Ended(Now.AddDays(-29));
        var suspended = _seed.Seed(new[]
        {
            new SeedRequest("Old", new[]
            {
                new SeedStatus(JobStatus.Queued, Now.AddDays(-50)), new SeedStatus(JobStatus.Starting, Now.AddDays(-50)),
                new SeedStatus(JobStatus.Running, Now.AddDays(-50)), new SeedStatus(JobStatus.Suspended, Now.AddDays(-50)),
            }),
        })[0];
        Assert.Equal(2, Rows("job_streams", old));

        Assert.Equal(2, RetentionPurger.Purge(Runtime.Store, Now));

        foreach (var gone in new[] { old, oldFailed })
        {
            Assert.Equal("JobNotFound", Assert.Throws<SmaException>(() => Jobs.Get(gone)).ErrorId);
            foreach (var table in new[] { "job_streams", "job_history", "job_parameters", "checkpoints" })
                Assert.Equal(0, Rows(table, gone));
        }
        Assert.Equal("Completed", Jobs.Get(recent).JobStatus);
        Assert.Equal(2, Rows("job_streams", recent));
        Assert.Equal("Suspended", Jobs.Get(suspended).JobStatus); // not ended: kept however old

        _settings.Set(5);
        Assert.Equal(1, RetentionPurger.Purge(Runtime.Store, Now));
        Assert.Equal("JobNotFound", Assert.Throws<SmaException>(() => Jobs.Get(recent)).ErrorId);
        Assert.Equal(0, RetentionPurger.Purge(Runtime.Store, Now));
    }

    [Fact]
    public void MaxJobRecords_is_no_limit_until_set_and_refuses_a_negative_count_without_changing_anything()
    {
        Assert.Equal(0, _settings.Get().MaxJobRecords);
        Assert.Equal(500, _settings.Set(null, 500).MaxJobRecords);
        Assert.Equal(30, _settings.Get().PurgeJobsOlderThanCountDays); // the other setting is left as it was
        var error = Assert.Throws<SmaException>(() => _settings.Set(9, -1));
        Assert.Equal("InvalidAdminConfigurationValue", error.ErrorId);
        Assert.Contains("MaxJobRecords", error.Message);
        Assert.Equal(30, _settings.Get().PurgeJobsOlderThanCountDays); // checked before anything is written
        Assert.Equal(500, _settings.Get().MaxJobRecords);
        Assert.Equal(0, _settings.Set(null, 0).MaxJobRecords);
    }

    [Fact]
    public void Beyond_MaxJobRecords_a_purge_deletes_the_oldest_ended_jobs_within_the_period_and_never_one_still_going()
    {
        var suspended = _seed.Seed(new[]
        {
            new SeedRequest("Old", new[]
            {
                new SeedStatus(JobStatus.Queued, Now.AddDays(-9)), new SeedStatus(JobStatus.Starting, Now.AddDays(-9)),
                new SeedStatus(JobStatus.Running, Now.AddDays(-9)), new SeedStatus(JobStatus.Suspended, Now.AddDays(-9)),
            }),
        })[0];
        var ended = Enumerable.Range(1, 6).Select(days => Ended(Now.AddDays(-days))).ToList(); // newest first
        _settings.Set(null, 4);

        Assert.Equal(3, RetentionPurger.Purge(Runtime.Store, Now)); // 7 jobs, 4 kept: the 3 oldest ended ones go
        Assert.Equal(new[] { ended[0], ended[1], ended[2], suspended }.OrderBy(g => g),
            Jobs.Query(new JobQuery()).Select(j => j.JobId).OrderBy(g => g));
        foreach (var table in new[] { "job_streams", "job_history", "job_parameters" })
            Assert.Equal(0, Rows(table, ended[5]));
        Assert.Equal(0, RetentionPurger.Purge(Runtime.Store, Now));

        // Only the suspended job and one ended job may remain under a limit of 1: the suspended job is never purged.
        _settings.Set(null, 1);
        Assert.Equal(3, RetentionPurger.Purge(Runtime.Store, Now));
        Assert.Equal(new[] { suspended }, Jobs.Query(new JobQuery()).Select(j => j.JobId));
    }

    [Fact]
    public void A_purge_works_in_batches_until_nothing_is_left()
    {
        var requests = Enumerable.Range(0, RetentionPurger.BatchSize * 2 + 50).Select(i => new SeedRequest("Old", new[]
        {
            new SeedStatus(JobStatus.Queued, Now.AddDays(-60).AddMinutes(i)), new SeedStatus(JobStatus.Stopping, Now.AddDays(-60).AddMinutes(i)),
            new SeedStatus(JobStatus.Stopped, Now.AddDays(-60).AddMinutes(i)),
        })).ToList();
        _seed.Seed(requests);
        Assert.Equal(requests.Count, RetentionPurger.Purge(Runtime.Store, Now));
        Assert.Empty(Jobs.Query(new JobQuery()));
    }

    [Fact]
    public void A_purge_is_due_at_most_once_an_hour_per_store()
    {
        var store = Path.Combine(Temp.Folder, "claim-test.db");
        Assert.True(RetentionPurger.TryClaim(store, Now));
        Assert.False(RetentionPurger.TryClaim(store, Now));
        Assert.False(RetentionPurger.TryClaim(store, Now.AddMinutes(59)));
        Assert.True(RetentionPurger.TryClaim(Path.Combine(Temp.Folder, "another.db"), Now.AddMinutes(59)));
        Assert.True(RetentionPurger.TryClaim(store, Now.AddMinutes(60)));
        Assert.False(RetentionPurger.TryClaim(store, Now.AddMinutes(61)));
    }

    [Fact]
    public void A_worker_purges_in_the_background_when_it_starts()
    {
        var old = Ended(DateTime.UtcNow.AddDays(-45));
        var job = Jobs.Start(Runbooks.Get("Old"), null, Temp.Folder); // starts the embedded worker, whose first heartbeat purges
        Assert.Equal("Completed", Wait(job.JobId).JobStatus);
        var deadline = DateTime.UtcNow + Patience;
        while (Jobs.Query(new JobQuery { Ids = new[] { old } }).Count > 0 && DateTime.UtcNow < deadline)
            Thread.Sleep(20);
        Assert.Empty(Jobs.Query(new JobQuery { Ids = new[] { old } }));
        Assert.Equal("Completed", Jobs.Get(job.JobId).JobStatus);
    }
}
