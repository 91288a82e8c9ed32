using Sma.Engine.Execution;
using Sma.Engine.Model;
using Sma.Engine.States;
using Sma.Engine.Store;
using Sma.Engine.Store.PostgreSql;
using Xunit;

namespace Sma.Engine.Tests;

/// <summary>
/// Workers on several machines sharing a PostgreSQL store (DESIGN §12). These need the PostgreSQL pass of the test
/// task (SMA_TEST_PG); on the SQLite pass every process shares one machine's clock and they have nothing to check.
/// </summary>
public sealed class SharedStoreTests : IDisposable
{
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_job_claimed_by_A_is_never_recovered_by_B_while_A_beats_even_with_Bs_clock_ten_minutes_ahead()
    {
        if (!TestStores.IsPostgres)
            return;
        using var a = _temp.Open();
        var connection = ((System.Data.Common.DbConnection)_temp.Connect()).ConnectionString;
        var skewed = () => DateTime.UtcNow.AddMinutes(10);
        using var b = PostgresStore.Open(connection, skewed); // machine B: same store, its own clock wrong

        // B's store clock is the server's, not B's.
        Assert.True((b.ReadClock() - a.ReadClock()).Duration() < TimeSpan.FromSeconds(30));

        var runbook = a.CreateRunbook(new NewRunbook("Wf", RunbookType.Workflow, "'x'", null, null, true));
        a.RegisterWorker(new WorkerRegistration("A", "inc-a", "machine-a", 1, 1, false, 4));
        var job = a.CreateJob(new NewJob(Guid.NewGuid(), runbook, runbook.PublishedRunbookVersionID!.Value, Array.Empty<StoredParameter>(), null, null, null));
        Assert.Contains(a.ClaimJobs("A", "inc-a", 10), w => w.JobId == job.JobId);
        a.Transition(job.JobId, JobTrigger.ScriptStarted, new TransitionChange { Holder = "inc-a" });
        a.Heartbeat("inc-a", 1, null);

        // B sees A's registration from another host: only staleness can say A is dead.
        var elsewhere = new WorkerLiveness("machine-b", _ => null, _ => false);
        var registration = b.ListWorkers().Single(w => w.IncarnationId == "inc-a");
        // On B's own clock A's heartbeat looks 10 minutes old: that clock would recover (and so run twice) the job.
        Assert.NotNull(elsewhere.WhyDead(registration, skewed(), Worker.LostAfter));

        Assert.Empty(new JobRecovery(b, elsewhere).RecoverLost());
        Assert.Empty(b.ClaimJobs("B", "inc-b", 10));
        var state = b.GetStatuses(new[] { job.JobId })[job.JobId];
        Assert.Equal((JobStatus.Running, "inc-a"), (state.Status, state.Holder));
    }

    [Fact]
    public void Two_writers_bumping_the_same_dashboard_counters_in_opposite_orders_never_deadlock()
    {
        if (!TestStores.IsPostgres)
            return;
        using var store = _temp.Open();
        var runbook = store.CreateRunbook(new NewRunbook("Counted", RunbookType.Script, "'x'", null, null, true));
        store.RegisterWorker(new WorkerRegistration("A", "inc-a", "machine-a", 1, 1, false, 4));
        Job NewJob() => store.CreateJob(new NewJob(Guid.NewGuid(), runbook, runbook.PublishedRunbookVersionID!.Value, Array.Empty<StoredParameter>(), null, null, null));
        var starting = NewJob();
        var running = NewJob();
        Assert.Equal(2, store.ClaimJobs("A", "inc-a", 10).Count);
        store.Transition(running.JobId, JobTrigger.ScriptStarted, new TransitionChange { Holder = "inc-a" });

        // Another machine's writer holds this hour's Completed counter, and will next take the Running one.
        using var other = (Npgsql.NpgsqlConnection)_temp.Connect();
        // This side looks for a deadlock first (the store's side after the default 1 s), so it is the one failed.
        new Npgsql.NpgsqlCommand("SET deadlock_timeout = '10ms'", other).ExecuteNonQuery();
        using var otherTx = other.BeginTransaction();
        var hour = store.ReadClock().Ticks / TimeSpan.TicksPerHour;
        void Bump(string status)
        {
            using var bump = new Npgsql.NpgsqlCommand(
                "INSERT INTO status_counts (hour, runbook_name, status, count) VALUES (@h, 'Counted', @s, 1) " +
                "ON CONFLICT (hour, runbook_name, status) DO UPDATE SET count = status_counts.count + 1", other, otherTx);
            bump.Parameters.AddWithValue("h", hour);
            bump.Parameters.AddWithValue("s", status);
            bump.ExecuteNonQuery();
        }
        Bump(nameof(JobStatus.Completed));

        // This worker's batch: one job enters Running, then another Completed (the other writer's order reversed).
        Exception? failed = null;
        var batch = new Thread(() =>
        {
            try
            {
                store.ApplyBatch(new StoreOp[]
                {
                    new TransitionOp(starting.JobId, JobTrigger.ScriptStarted, new TransitionChange { Holder = "inc-a" }, null),
                    new TransitionOp(running.JobId, JobTrigger.ScriptCompleted, new TransitionChange { Holder = "inc-a" }, null),
                });
            }
            catch (Exception e)
            {
                failed = e;
            }
        });
        batch.Start();
        using (var watch = (Npgsql.NpgsqlConnection)_temp.Connect())
        {
            // Wait until the batch waits for the counter the other writer holds.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (new Npgsql.NpgsqlCommand(
                       "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", watch)
                   .ExecuteScalar() is 0L)
            {
                Assert.True(DateTime.UtcNow < deadline, "the batch never waited for the held counter");
                Assert.True(batch.IsAlive, "the batch finished while another writer held its counter");
                Thread.Sleep(10);
            }
        }
        // Bumped one by one in the batch's order, the batch would hold Running now, and this would wait for it while
        // the batch waits for Completed: the server fails one of the two (deadlock detected, here this one).
        Bump(nameof(JobStatus.Running));
        otherTx.Commit();
        Assert.True(batch.Join(TimeSpan.FromSeconds(60)));
        Assert.Null(failed);

        using var read = (Npgsql.NpgsqlConnection)_temp.Connect();
        var counted = new Dictionary<string, long>();
        using (var query = new Npgsql.NpgsqlCommand("SELECT status, count FROM status_counts WHERE runbook_name = 'Counted'", read))
        using (var reader = query.ExecuteReader())
            while (reader.Read())
                counted[reader.GetString(0)] = reader.GetInt64(1);
        Assert.Equal(2 + 1, counted[nameof(JobStatus.Running)]); // running's ScriptStarted, the batch's, the other writer's
        Assert.Equal(1 + 1, counted[nameof(JobStatus.Completed)]);
        Assert.Equal(nameof(JobStatus.Running), store.GetJob(starting.JobId)!.JobStatus);
        Assert.Equal(nameof(JobStatus.Completed), store.GetJob(running.JobId)!.JobStatus);
    }

    [Fact]
    public void A_workers_change_planned_from_what_it_last_wrote_still_loses_to_a_change_made_elsewhere()
    {
        if (!TestStores.IsPostgres)
            return;
        using var worker = _temp.Open(); // machine A runs the job
        using var session = _temp.Open(); // machine B asks it to stop
        var runbook = worker.CreateRunbook(new NewRunbook("Raced", RunbookType.Script, "'x'", null, null, true));
        worker.RegisterWorker(new WorkerRegistration("A", "inc-a", "machine-a", 1, 1, false, 4));
        var job = worker.CreateJob(new NewJob(Guid.NewGuid(), runbook, runbook.PublishedRunbookVersionID!.Value, Array.Empty<StoredParameter>(), null, null, null));
        Assert.Single(worker.ClaimJobs("A", "inc-a", 10));
        Assert.True(worker.TryTransition(job.JobId, JobTrigger.ScriptStarted, new TransitionChange { Holder = "inc-a" }).Applied);

        session.Transition(job.JobId, JobTrigger.Stop, new TransitionChange { Details = "Stop requested." });

        // The worker last left the job Running; it is Stopping now: the table refuses a completion from there.
        var completed = worker.TryTransition(job.JobId, JobTrigger.ScriptCompleted, new TransitionChange { Holder = "inc-a" });
        Assert.False(completed.Applied);
        Assert.Equal(JobStatus.Stopping, completed.Current);
        Assert.True(worker.TryTransition(job.JobId, JobTrigger.PipelineStopped, new TransitionChange { Holder = "inc-a" }).Applied);
        Assert.Equal(
            new[] { "Queued", "Starting", "Running", "Stopping", "Stopped" },
            session.ReadHistory(job.JobId).Select(h => h.ToStatus).ToArray());
    }

    [Fact]
    public void A_notification_says_whether_it_is_work_to_take_or_a_request_for_a_running_job()
    {
        if (!TestStores.IsPostgres)
            return;
        using var listening = _temp.Open();
        using var store = _temp.Open();
        var heard = new System.Collections.Concurrent.ConcurrentQueue<JobsChange>();
        ((IStoreNotifications)listening).JobsChanged += heard.Enqueue;
        JobsChange Next()
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            JobsChange change;
            while (!heard.TryDequeue(out change))
            {
                Assert.True(DateTime.UtcNow < deadline, "no notification arrived");
                Thread.Sleep(10);
            }
            return change;
        }
        Assert.Equal(JobsChange.Any, Next()); // on listening: whatever happened before

        var runbook = store.CreateRunbook(new NewRunbook("Heard", RunbookType.Script, "'x'", null, null, true));
        var job = store.CreateJob(new NewJob(Guid.NewGuid(), runbook, runbook.PublishedRunbookVersionID!.Value, Array.Empty<StoredParameter>(), null, null, null));
        Assert.Equal(JobsChange.Work, Next());
        store.RegisterWorker(new WorkerRegistration("A", "inc-a", "machine-a", 1, 1, false, 4));
        Assert.Single(store.ClaimJobs("A", "inc-a", 10));
        store.Transition(job.JobId, JobTrigger.Stop, new TransitionChange());
        Assert.Equal(JobsChange.Request, Next());
        Assert.True(heard.IsEmpty);
    }

    [Theory]
    [InlineData("Host=db1;Database=sma;Username=sma", 64)]
    [InlineData("Host=db1;Database=sma;Username=sma;Max Auto Prepare=0", 0)]
    [InlineData("Host=db1;Database=sma;Username=sma;MaxAutoPrepare=10", 10)]
    [InlineData("postgresql://sma@db1:5432/sma", 64)]
    public void Statements_are_prepared_unless_the_connection_text_names_its_own_limit(string store, int expected)
    {
        var settings = PostgresStore.WithDefaults(PgConnectionText.ToConnectionString(store));
        Assert.Equal(expected, settings.MaxAutoPrepare);
        Assert.Equal("Sma", settings.ApplicationName);
    }

    [Fact]
    public void A_worker_whose_key_is_not_the_stores_refuses_to_start()
    {
        using var store = _temp.Open();
        using var first = new SmaRuntime(store, TestSessionStates.Instance, () => Security.SecretProtector.FromBase64(Convert.ToBase64String(new byte[32])));
        first.Codec.EnsureKey(); // the first process sets the store's key check
        var other = new byte[32];
        other[0] = 1;
        using var second = new SmaRuntime(_temp.Open(), TestSessionStates.Instance, () => Security.SecretProtector.FromBase64(Convert.ToBase64String(other)));
        var error = Assert.Throws<SmaException>(() => second.StartWorker("W2", 1));
        Assert.Equal("SecretKeyMismatch", error.ErrorId);
        Assert.Empty(second.Store.ListWorkers()); // it never registered
        // The right key starts.
        using var third = new SmaRuntime(_temp.Open(), TestSessionStates.Instance, () => Security.SecretProtector.FromBase64(Convert.ToBase64String(new byte[32])));
        third.Codec.EnsureKey();
    }
}
