using System.Collections.Concurrent;
using Dapper;
using Microsoft.Data.Sqlite;
using Sma.Engine.Model;
using Sma.Engine.States;
using Sma.Engine.Store;
using Xunit;

namespace Sma.Engine.Tests;

public class SqliteStoreTests : IDisposable
{
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    private static Runbook Published(IJobStore store, string name = "R1", string source = "param($A) \"a=$A\"") =>
        store.CreateRunbook(new NewRunbook(name, RunbookType.Script, source, null, null, Publish: true));

    private static Job Queue(IJobStore store, Runbook runbook, string? pinned = null) =>
        store.CreateJob(new NewJob(Guid.NewGuid(), runbook, runbook.PublishedRunbookVersionID!.Value,
            new[] { new StoredParameter("A", System.Management.Automation.PSSerializer.Serialize("a"), null, null) }, "tester", "/tmp", pinned));

    [Fact]
    public void A_new_store_has_the_schema_WAL_and_its_marks()
    {
        using var store = _temp.OpenSqlite();
        using var c = new SqliteConnection($"Data Source={_temp.Path}");
        c.Open();
        Assert.Equal("wal", c.ExecuteScalar<string>("PRAGMA journal_mode"));
        Assert.Equal(Schema.CurrentVersion, c.ExecuteScalar<long>("PRAGMA user_version"));
        Assert.Equal(Schema.ApplicationId, c.ExecuteScalar<long>("PRAGMA application_id"));
        var tables = c.Query<string>("SELECT name FROM sqlite_master WHERE type = 'table'").ToHashSet();
        foreach (var t in new[] { "runbooks", "runbook_versions", "jobs", "job_parameters", "job_history", "job_streams", "checkpoints", "worker_incarnations", "admin_configuration" })
            Assert.Contains(t, tables);
    }

    [Fact]
    public void The_store_file_is_owner_only_on_unix()
    {
        if (OperatingSystem.IsWindows())
            return;
        using var store = _temp.OpenSqlite();
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_temp.Path));
    }

    [Fact]
    public void Opening_again_keeps_the_data()
    {
        using (var store = _temp.OpenSqlite())
            Published(store);
        using var again = _temp.OpenSqlite();
        Assert.NotNull(again.FindRunbook("r1"));
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_refused_and_left_as_it_was()
    {
        File.WriteAllText(_temp.Path, "this is not a database, just text that is long enough to have a header");
        var before = File.ReadAllBytes(_temp.Path);
        var error = Assert.Throws<SmaException>(() => _temp.OpenSqlite());
        Assert.Equal("StoreNotRecognized", error.ErrorId);
        Assert.Equal(before, File.ReadAllBytes(_temp.Path));
    }

    [Fact]
    public void Another_applications_database_is_refused_and_left_as_it_was()
    {
        using (var c = new SqliteConnection($"Data Source={_temp.Path};Pooling=False"))
        {
            c.Open();
            c.Execute("CREATE TABLE customers (id INTEGER PRIMARY KEY)");
        }
        var before = File.ReadAllBytes(_temp.Path);
        var error = Assert.Throws<SmaException>(() => _temp.OpenSqlite());
        Assert.Equal("StoreNotRecognized", error.ErrorId);
        Assert.Equal(before, File.ReadAllBytes(_temp.Path));
    }

    [Fact]
    public void A_newer_schema_is_refused_and_left_as_it_was()
    {
        using (var store = _temp.OpenSqlite())
            Published(store);
        using (var c = new SqliteConnection($"Data Source={_temp.Path};Pooling=False"))
        {
            c.Open();
            c.Execute($"PRAGMA user_version = {Schema.CurrentVersion + 1}");
            c.Execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        SqliteConnection.ClearAllPools();
        var before = File.ReadAllBytes(_temp.Path);
        var error = Assert.Throws<SmaException>(() => _temp.OpenSqlite());
        Assert.Equal("StoreSchemaTooNew", error.ErrorId);
        Assert.Equal(before, File.ReadAllBytes(_temp.Path));
    }

    [Fact]
    public void A_store_in_a_missing_folder_is_a_clear_error()
    {
        var error = Assert.Throws<SmaException>(() => SqliteStore.Open(Path.Combine(_temp.Folder, "no", "such", "sma.db")));
        Assert.Equal("StoreFolderMissing", error.ErrorId);
    }

    [Fact]
    public void Runbooks_have_drafts_published_versions_and_unique_names()
    {
        using var store = _temp.Open();
        var draft = store.CreateRunbook(new NewRunbook("Draft1", RunbookType.Script, "'v1'", "d", "a,b", Publish: false));
        Assert.NotNull(draft.DraftRunbookVersionID);
        Assert.Null(draft.PublishedRunbookVersionID);
        Assert.Equal("SmaException", Assert.Throws<SmaException>(() =>
            store.CreateRunbook(new NewRunbook("DRAFT1", RunbookType.Script, "'x'", null, null, false))).GetType().Name);

        var published = store.Publish(draft.RunbookID);
        Assert.Equal(draft.DraftRunbookVersionID, published.PublishedRunbookVersionID);
        Assert.Null(published.DraftRunbookVersionID);
        Assert.Equal("RunbookHasNoDraft", Assert.Throws<SmaException>(() => store.Publish(draft.RunbookID)).ErrorId);

        var edited = store.SetDraft(draft.RunbookID, "'v2'", overwrite: false);
        Assert.Equal("RunbookDraftExists", Assert.Throws<SmaException>(() => store.SetDraft(draft.RunbookID, "'v3'", false)).ErrorId);
        edited = store.SetDraft(draft.RunbookID, "'v3'", overwrite: true);
        Assert.Equal("'v3'", store.GetDefinition(edited.DraftRunbookVersionID!.Value)!.Content);
        Assert.Equal("'v1'", store.GetDefinition(edited.PublishedRunbookVersionID!.Value)!.Content);
        Assert.True(store.GetDefinition(edited.DraftRunbookVersionID!.Value)!.RunbookVersion.IsDraft);
    }

    [Fact]
    public void Names_and_values_with_quotes_and_sql_round_trip_exactly()
    {
        using var store = _temp.Open();
        const string nasty = "x'); DROP TABLE jobs; -- \"quoted\" %_*";
        var runbook = store.CreateRunbook(new NewRunbook("Quoted", RunbookType.Script, "'" + nasty.Replace("'", "''") + "'", nasty, nasty, true));
        Assert.Equal(nasty, store.FindRunbook("Quoted")!.Description);
        Assert.Equal(nasty, store.FindRunbook("Quoted")!.Tags);
        Assert.Null(store.FindRunbook(nasty));
        Assert.Empty(store.QueryJobs(new JobQuery { RunbookNamePattern = nasty }));
        Queue(store, runbook);
        Assert.Single(store.QueryJobs(new JobQuery()));
    }

    [Fact]
    public void A_new_job_is_queued_with_its_parameters_and_a_history_row()
    {
        using var store = _temp.Open();
        var job = Queue(store, Published(store));
        Assert.Equal("Queued", job.Status);
        Assert.Equal("New", job.JobStatus); // SMA's web service's word for Queued (DESIGN §4.3)
        Assert.Equal("R1", job.RunbookName);
        var history = store.ReadHistory(job.JobId);
        Assert.Single(history);
        Assert.Null(history[0].FromStatus);
        Assert.Equal("Queued", history[0].ToStatus);
    }

    [Fact]
    public void Each_status_change_writes_the_job_and_a_history_row_together()
    {
        using var store = _temp.Open();
        var job = Queue(store, Published(store));
        var claimed = store.ClaimJobs("W1", "W1-1", 10);
        Assert.Equal(job.JobId, Assert.Single(claimed).JobId);
        store.Transition(job.JobId, JobTrigger.ScriptStarted, new TransitionChange());
        var done = store.Transition(job.JobId, JobTrigger.ScriptCompleted, new TransitionChange { ErrorCount = 2, WarningCount = 1 });
        Assert.Equal("Completed", done.JobStatus);
        Assert.Equal("W1", done.Worker);
        Assert.NotNull(done.StartTime);
        Assert.NotNull(done.EndTime);
        Assert.Equal(2, done.ErrorCount);
        var history = store.ReadHistory(job.JobId);
        Assert.Equal(new[] { "Queued", "Starting", "Running", "Completed" }, history.Select(h => h.ToStatus));
        Assert.Equal(new[] { null, "Queued", "Starting", "Running" }, history.Select(h => h.FromStatus));
        Assert.True(history.Zip(history.Skip(1)).All(p => p.First.Time <= p.Second.Time));
    }

    [Fact]
    public void A_refused_change_leaves_the_job_and_history_unchanged()
    {
        using var store = _temp.Open();
        var job = Queue(store, Published(store));
        var error = Assert.Throws<SmaException>(() => store.Transition(job.JobId, JobTrigger.Resume, new TransitionChange()));
        Assert.Equal("InvalidJobStateTransition", error.ErrorId);
        Assert.Equal("Queued", store.GetJob(job.JobId)!.Status);
        Assert.Single(store.ReadHistory(job.JobId));
        var result = store.TryTransition(job.JobId, JobTrigger.ScriptCompleted, new TransitionChange());
        Assert.False(result.Applied);
        Assert.Equal(JobStatus.Queued, result.Current);
    }

    [Fact]
    public void Claiming_from_many_threads_gives_each_job_to_exactly_one_worker()
    {
        using var store = _temp.Open();
        var runbook = Published(store);
        var ids = Enumerable.Range(0, 200).Select(_ => Queue(store, runbook).JobId).ToHashSet();
        var claimed = new ConcurrentBag<(string Worker, Guid Job)>();
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, w =>
        {
            IReadOnlyList<JobWork> got;
            do
            {
                got = store.ClaimJobs($"W{w}", $"W{w}-1", 7);
                foreach (var work in got)
                    claimed.Add(($"W{w}", work.JobId));
            } while (got.Count > 0);
        });
        Assert.Equal(ids.Count, claimed.Count);
        Assert.Equal(ids, claimed.Select(c => c.Job).ToHashSet());
    }

    [Fact]
    public void A_pinned_job_is_claimed_only_by_its_worker()
    {
        using var store = _temp.Open();
        var job = Queue(store, Published(store), pinned: "W2");
        Assert.Empty(store.ClaimJobs("W1", "W1-1", 5));
        Assert.Equal(job.JobId, Assert.Single(store.ClaimJobs("w2", "w2-1", 5)).JobId);
    }

    [Fact]
    public void Queries_filter_by_name_pattern_status_and_time_newest_first()
    {
        using var store = _temp.Open();
        var a = Published(store, "Alpha");
        var b = Published(store, "Beta");
        var jobs = new[] { Queue(store, a), Queue(store, b), Queue(store, a) };
        store.ClaimJobs("W", "W-1", 1);
        Assert.Equal(new[] { jobs[2].JobId, jobs[0].JobId }, store.QueryJobs(new JobQuery { RunbookNamePattern = "alpha" }).Select(j => j.JobId));
        Assert.Equal(3, store.QueryJobs(new JobQuery { RunbookNamePattern = "*a" }).Count);
        Assert.Equal(2, store.QueryJobs(new JobQuery { RunbookNamePattern = "[a]lph?" }).Count);
        Assert.Equal(jobs[0].JobId, Assert.Single(store.QueryJobs(new JobQuery { Statuses = new[] { JobStatus.Starting } })).JobId);
        Assert.Equal(jobs[2].JobId, Assert.Single(store.QueryJobs(new JobQuery { First = 1 })).JobId);
        Assert.Empty(store.QueryJobs(new JobQuery { ModifiedAfter = DateTime.UtcNow.AddMinutes(1) }));
        Assert.Equal(3, store.QueryJobs(new JobQuery { ModifiedAfter = DateTime.UtcNow.AddMinutes(-1), ModifiedBefore = DateTime.UtcNow.AddMinutes(1) }).Count);
    }

    [Fact]
    public void A_batch_commits_stream_records_and_changes_in_order()
    {
        using var store = _temp.Open();
        var job = Queue(store, Published(store));
        store.ClaimJobs("W", "W-1", 1);
        TransitionResult? seen = null;
        var now = DateTime.UtcNow;
        store.ApplyBatch(new StoreOp[]
        {
            new TransitionOp(job.JobId, JobTrigger.ScriptStarted, new TransitionChange(), null),
            new AppendStreamsOp(job.JobId, new[]
            {
                new StreamRow(1, now, StreamType.Output, "one", "<Objs/>", null),
                new StreamRow(2, now, StreamType.Warning, "careful", null, null),
            }, 0, 1),
            new TransitionOp(job.JobId, JobTrigger.ScriptCompleted, new TransitionChange(), r => seen = r),
        });
        Assert.Equal(JobStatus.Completed, seen!.Value.To);
        Assert.Equal(new[] { "one", "careful" }, store.ReadStreams(job.JobId, null, null).Select(r => r.Text));
        Assert.Equal("careful", Assert.Single(store.ReadStreams(job.JobId, StreamType.Warning, null)).Text);
        Assert.Equal(1, store.GetJob(job.JobId)!.WarningCount);
    }
}
