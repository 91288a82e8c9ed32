using Sma.Engine.Execution;
using Sma.Engine.Model;
using Sma.Engine.States;
using Sma.Engine.Store;
using Xunit;

namespace Sma.Engine.Tests;

/// <summary>DESIGN §4.4: the engine's recovery decisions, worker liveness by incarnation, and recovery against a store.</summary>
public class RecoveryTests : IDisposable
{
    private const string Here = "this-host";
    private readonly TempStore _temp = new();

    public void Dispose()
    {
        _temp.Dispose();
        GC.SuppressFinalize(this);
    }

    private static HeldJob Held(JobStatus status, RunbookType type, int recoveries = 0, string? pinned = null) =>
        new(Guid.NewGuid(), status, type, recoveries, "W1", "inc-1", pinned);

    private static WorkerIncarnation Incarnation(string id, string name, string host, int pid, long start, DateTime beat, string status = "Running") =>
        new(id, name, host, pid, start, false, status, beat, beat, 4, 0, null);

    [Fact]
    public void A_lost_Workflow_job_resumes_and_counts_the_recovery()
    {
        var action = RecoveryPolicy.Decide(Held(JobStatus.Running, RunbookType.Workflow, recoveries: 1), "its process 7 ended", pinnedWorkerAvailable: false);
        Assert.Equal(JobTrigger.WorkerLostResumable, action.Trigger);
        Assert.Equal(JobStatus.Running, action.From);
        Assert.Equal("inc-1", action.Holder);
        Assert.Equal("Worker 'W1' was lost (its process 7 ended); resuming from the last checkpoint (recovery 2 of 3).", action.Details);
    }

    [Fact]
    public void A_lost_Script_job_fails_naming_the_worker()
    {
        var action = RecoveryPolicy.Decide(Held(JobStatus.Starting, RunbookType.Script), "no heartbeat since x", pinnedWorkerAvailable: true);
        Assert.Equal(JobTrigger.WorkerLostFatal, action.Trigger);
        Assert.Contains("'W1' was lost", action.Details);
        Assert.Contains("Script runbook", action.Details);
    }

    [Fact]
    public void A_Workflow_job_lost_a_fourth_time_fails()
    {
        var action = RecoveryPolicy.Decide(Held(JobStatus.Suspending, RunbookType.Workflow, recoveries: 3), "r", pinnedWorkerAvailable: true);
        Assert.Equal(JobTrigger.WorkerLostFatal, action.Trigger);
        Assert.Contains("recovered 3 times", action.Details);
    }

    [Fact]
    public void A_stop_under_way_completes_and_an_unstarted_resume_is_released()
    {
        Assert.Equal(JobTrigger.PipelineStopped, RecoveryPolicy.Decide(Held(JobStatus.Stopping, RunbookType.Script), "r", false).Trigger);
        var release = RecoveryPolicy.Decide(Held(JobStatus.Resuming, RunbookType.Workflow), "r", false);
        Assert.Null(release.Trigger);
        Assert.Equal(JobStatus.Resuming, release.From);
    }

    [Fact]
    public void A_pinned_Workflow_job_whose_worker_is_gone_waits_Suspended_naming_it()
    {
        var action = RecoveryPolicy.Decide(Held(JobStatus.Running, RunbookType.Workflow, pinned: "W1"), "r", pinnedWorkerAvailable: false);
        Assert.Equal(JobTrigger.AwaitPinnedWorker, action.Trigger);
        Assert.Contains("pinned to worker 'W1'", action.Details);
        Assert.Contains("Resume-SmaJob", action.Details);
        // Its worker already runs again (restarted): it resumes there.
        Assert.Equal(JobTrigger.WorkerLostResumable,
            RecoveryPolicy.Decide(Held(JobStatus.Running, RunbookType.Workflow, pinned: "W1"), "r", pinnedWorkerAvailable: true).Trigger);
        // A resume nobody picks up because its pinned worker is gone.
        Assert.Equal(JobTrigger.AwaitPinnedWorker, RecoveryPolicy.DecideWaitingResume(Held(JobStatus.Resuming, RunbookType.Workflow, pinned: "W1"), false)!.Trigger);
        Assert.Null(RecoveryPolicy.DecideWaitingResume(Held(JobStatus.Resuming, RunbookType.Workflow, pinned: "W1"), true));
    }

    [Fact]
    public void A_normal_exit_suspends_Workflow_jobs_and_fails_Script_jobs_naming_the_worker()
    {
        var (workflow, workflowDetails) = RecoveryPolicy.OnExit(RunbookType.Workflow, "W9");
        Assert.Equal(JobTrigger.WorkerExitedResumable, workflow);
        Assert.Equal(JobStatus.Suspended, JobTransitions.Next(Guid.Empty, JobStatus.Running, workflow));
        Assert.Contains("'W9' exited", workflowDetails);
        var (script, scriptDetails) = RecoveryPolicy.OnExit(RunbookType.Script, "W9");
        Assert.Equal(JobStatus.Failed, JobTransitions.Next(Guid.Empty, JobStatus.Running, script));
        Assert.Contains("'W9' exited", scriptDetails);
    }

    [Fact]
    public void A_worker_on_this_host_is_dead_as_soon_as_its_process_is_gone_or_reused()
    {
        var processes = new Dictionary<int, long> { [100] = 5000, [200] = 9999 };
        var liveness = new WorkerLiveness(Here, pid => processes.TryGetValue(pid, out var s) ? s : null, _ => false);
        var now = DateTime.UtcNow;
        var lostAfter = TimeSpan.FromMinutes(10);
        Assert.Null(liveness.WhyDead(Incarnation("a", "W", Here, 100, 5000, now), now, lostAfter));
        // Its process runs: a late heartbeat (a loaded machine) never makes it lost, so its jobs never run twice.
        Assert.Null(liveness.WhyDead(Incarnation("a", "W", Here, 100, 5000, now.AddHours(-1)), now, lostAfter));
        Assert.Equal("its process 300 ended", liveness.WhyDead(Incarnation("b", "W", Here, 300, 5000, now), now, lostAfter));
        // The id now belongs to a process that started at another time: not the worker's.
        Assert.Equal("its process 200 ended", liveness.WhyDead(Incarnation("c", "W", Here, 200, 5000, now), now, lostAfter));
        Assert.NotNull(liveness.WhyDead(null, now, lostAfter));
        Assert.NotNull(liveness.WhyDead(Incarnation("d", "W", Here, 100, 5000, now, "Stopped"), now, lostAfter));
    }

    [Fact]
    public void A_worker_of_this_process_is_dead_once_closed()
    {
        var open = new HashSet<string> { "open" };
        var liveness = new WorkerLiveness(Here, _ => 77, open.Contains);
        var now = DateTime.UtcNow;
        Assert.Null(liveness.WhyDead(Incarnation("open", "W", Here, Environment.ProcessId, 77, now), now, TimeSpan.FromMinutes(1)));
        Assert.Equal("it was closed in this process",
            liveness.WhyDead(Incarnation("closed", "W", Here, Environment.ProcessId, 77, now), now, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void A_worker_on_another_host_is_dead_only_when_its_heartbeat_is_stale()
    {
        var liveness = new WorkerLiveness(Here, _ => null, _ => false);
        var now = DateTime.UtcNow;
        var lostAfter = TimeSpan.FromSeconds(30);
        Assert.Null(liveness.WhyDead(Incarnation("a", "W", "elsewhere", 1, 1, now.AddSeconds(-10)), now, lostAfter));
        Assert.StartsWith("no heartbeat since", liveness.WhyDead(Incarnation("a", "W", "elsewhere", 1, 1, now.AddSeconds(-40)), now, lostAfter));
    }

    [Fact]
    public void A_reader_whose_job_another_process_recovered_first_is_told_to_read_it_again()
    {
        using var store = _temp.Open();
        var workflow = store.CreateRunbook(new NewRunbook("Wf2", RunbookType.Workflow, "'x'", null, null, true));
        var liveness = new WorkerLiveness(Here, _ => null, _ => false); // every process on this host is gone
        store.RegisterWorker(new WorkerRegistration("W1", "gone", Here, 1, 42, false, 4));
        var job = Running(store, workflow, "gone");

        // Another process (a worker's heartbeat) recovers the job between this reader's read and its check.
        Assert.Single(new JobRecovery(store, liveness).RecoverLost());
        // What the reader read (Running) is stale: it must read again, though it recovered nothing itself.
        Assert.True(new JobRecovery(store, liveness).CheckJobs(new[] { job.JobId }));
        Assert.Equal("Resuming", store.GetJob(job.JobId)!.JobStatus);
    }

    [Fact]
    public void A_worker_restarted_under_the_same_name_neither_adopts_nor_hides_the_dead_ones_jobs()
    {
        using var store = _temp.Open();
        var workflow = store.CreateRunbook(new NewRunbook("Wf", RunbookType.Workflow, "'x'", null, null, true));
        var script = store.CreateRunbook(new NewRunbook("Sc", RunbookType.Script, "'x'", null, null, true));
        var alive = new HashSet<int> { 1 };
        var liveness = new WorkerLiveness(Here, pid => alive.Contains(pid) ? 42 : null, _ => false);
        var recovery = new JobRecovery(store, liveness);

        store.RegisterWorker(new WorkerRegistration("W1", "first", Here, 1, 42, false, 4));
        var wf = Running(store, workflow, "first");
        var sc = Running(store, script, "first");
        Assert.Empty(recovery.RecoverLost()); // its process lives

        alive.Remove(1); // kill -9
        alive.Add(2);
        store.RegisterWorker(new WorkerRegistration("W1", "second", Here, 2, 42, false, 4)); // restarted at once, fresh heartbeat
        Assert.Equal("second", Assert.Single(store.ListWorkers()).IncarnationId);
        Assert.True(recovery.CheckJobs(new[] { wf.JobId }));
        Assert.Equal("Resuming", store.GetJob(wf.JobId)!.JobStatus);
        Assert.Contains("'W1' was lost (its process 1 ended)", store.GetJob(wf.JobId)!.StatusDetails);
        Assert.Equal("Failed", store.GetJob(sc.JobId)!.JobStatus);
        Assert.Contains("Script runbook", store.GetJob(sc.JobId)!.StatusDetails);

        // The new incarnation takes the resume; the dead one's jobs are not its own until it claims them.
        Assert.Equal(wf.JobId, Assert.Single(store.ClaimJobs("W1", "second", 10)).JobId);
        Assert.Equal("second", store.GetStatuses(new[] { wf.JobId })[wf.JobId].Holder);
        Assert.Empty(recovery.RecoverLost());
    }

    [Fact]
    public void Recovery_applies_each_action_once_even_when_two_recoverers_race()
    {
        using var store = _temp.Open();
        var workflow = store.CreateRunbook(new NewRunbook("Wf", RunbookType.Workflow, "'x'", null, null, true));
        store.RegisterWorker(new WorkerRegistration("Doomed", "gone", "elsewhere", 1, 1, false, 4));
        var job = Running(store, workflow, "gone");
        var held = Assert.Single(store.JobsHeldBy(new[] { "gone" }));
        var action = RecoveryPolicy.Decide(held, "r", pinnedWorkerAvailable: true);
        Assert.Single(store.ApplyRecovery(new[] { action }));
        Assert.Empty(store.ApplyRecovery(new[] { action })); // the job moved on: compare-and-set refuses
        Assert.Equal(new[] { "Queued", "Starting", "Running", "Resuming" }, store.ReadHistory(job.JobId).Select(h => h.ToStatus));
    }

    [Fact]
    public void Jobs_of_a_lost_worker_resume_or_fail_and_at_most_three_times()
    {
        using var store = _temp.Open();
        var workflow = store.CreateRunbook(new NewRunbook("Wf", RunbookType.Workflow, "'x'", null, null, true));
        var script = store.CreateRunbook(new NewRunbook("Sc", RunbookType.Script, "'x'", null, null, true));
        var clock = DateTime.UtcNow;
        var recovery = new JobRecovery(store, new WorkerLiveness(Here, _ => null, _ => false), () => clock);
        store.RegisterWorker(new WorkerRegistration("Doomed", "d1", "elsewhere", 1, 1, false, 4));
        var wf = Running(store, workflow, "d1");
        var sc = Running(store, script, "d1");
        Assert.Empty(recovery.RecoverLost()); // another host's heartbeat is fresh

        clock += TimeSpan.FromHours(1); // its heartbeat is now stale
        var recovered = recovery.RecoverLost();
        Assert.Equal(2, recovered.Count);
        Assert.Equal("Resuming", store.GetJob(wf.JobId)!.JobStatus);
        Assert.Null(store.GetJob(wf.JobId)!.Worker);
        Assert.Contains("Doomed", store.GetJob(wf.JobId)!.StatusDetails);
        Assert.Equal("Failed", store.GetJob(sc.JobId)!.JobStatus);
        Assert.Contains("Doomed", store.GetJob(sc.JobId)!.StatusDetails);

        for (var loss = 2; loss <= 4; loss++)
        {
            var holder = $"d{loss}";
            store.RegisterWorker(new WorkerRegistration("Doomed", holder, "elsewhere", loss, 1, false, 4));
            clock = DateTime.UtcNow;
            Assert.Single(store.ClaimJobs("Doomed", holder, 10));
            store.Transition(wf.JobId, JobTrigger.Resumed, new TransitionChange { Worker = "Doomed" });
            Assert.Empty(recovery.RecoverLost());
            clock += TimeSpan.FromHours(1);
            recovery.RecoverLost();
            Assert.Equal(loss <= 3 ? "Resuming" : "Failed", store.GetJob(wf.JobId)!.JobStatus);
        }
        Assert.Contains("recovered 3 times", store.GetJob(wf.JobId)!.StatusDetails);
    }

    [Fact]
    public void Reading_or_stopping_a_job_of_a_dead_worker_recovers_it_at_once()
    {
        using var runtime = _temp.Runtime();
        var store = runtime.Store;
        var script = store.CreateRunbook(new NewRunbook("Sc", RunbookType.Script, "'x'", null, null, true));
        var workflow = store.CreateRunbook(new NewRunbook("Wf", RunbookType.Workflow, "'x'", null, null, true));
        // A worker of this host whose process is gone (no process has this id), with a fresh heartbeat.
        store.RegisterWorker(new WorkerRegistration("Ghost", "ghost", ProcessIdentity.Host, int.MaxValue - 7, 1, false, 4));
        var jobs = new Services.JobService(runtime);

        // Stopped at once: nobody is left to stop it, and it is not left in Stopping.
        var stopped = Running(store, workflow, "ghost");
        Assert.Equal("Stopped", jobs.Stop(stopped.JobId).JobStatus);
        Assert.Equal(new[] { "Queued", "Starting", "Running", "Stopping", "Stopped" }, jobs.History(stopped.JobId).Select(h => h.ToStatus));
        Assert.Contains("'Ghost' was lost", jobs.Get(stopped.JobId).StatusDetails);

        // A read-only look at another of its jobs recovers it before showing it.
        var read = Running(store, script, "ghost");
        var seen = jobs.Get(read.JobId);
        Assert.Equal("Failed", seen.JobStatus);
        Assert.Contains($"'Ghost' was lost (its process {int.MaxValue - 7} ended)", seen.StatusDetails);
    }

    [Fact]
    public void A_holder_with_no_registry_row_is_found_and_is_dead()
    {
        using var store = _temp.OpenSqlite(); // edits the file behind the store
        var script = store.CreateRunbook(new NewRunbook("Sc", RunbookType.Script, "'x'", null, null, true));
        store.RegisterWorker(new WorkerRegistration("Gone", "gone", "elsewhere", 1, 1, false, 4));
        var job = Running(store, script, "gone");
        using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_temp.Path};Pooling=False"))
        {
            c.Open();
            Dapper.SqlMapper.Execute(c, "DELETE FROM worker_incarnations");
        }
        var holder = Assert.Single(store.HoldersOfActiveJobs(null));
        Assert.Equal("gone", holder.IncarnationId);
        Assert.Null(holder.Registration);
        var recovery = new JobRecovery(store, new WorkerLiveness(Here, _ => null, _ => false));
        Assert.True(recovery.CheckJobs(new[] { job.JobId }));
        Assert.Equal("Failed", store.GetJob(job.JobId)!.JobStatus);
        Assert.Contains("no longer registered", store.GetJob(job.JobId)!.StatusDetails);
    }

    [Fact]
    public void A_store_from_before_incarnations_keeps_its_workers_and_who_holds_which_job()
    {
        using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_temp.Path};Pooling=False"))
        {
            c.Open();
            using var tx = c.BeginTransaction();
            for (var v = 0; v < 3; v++)
                Dapper.SqlMapper.Execute(c, Schema.Migrations[v], transaction: tx);
            Dapper.SqlMapper.Execute(c,
                "INSERT INTO workers VALUES ('Old', 'elsewhere', 5, 0, 'Running', 1, 1, 4, 1);" +
                "INSERT INTO jobs (job_id, runbook_id, runbook_name, runbook_version_id, runbook_type, status, creation_time, " +
                "last_modified_time, worker) VALUES ('a', 'r', 'R', 'v', 'Workflow', 'Running', 1, 1, 'Old'), " +
                "('b', 'r', 'R', 'v', 'Workflow', 'Completed', 1, 1, 'Old');" +
                $"PRAGMA application_id = {Schema.ApplicationId}; PRAGMA user_version = 3;", transaction: tx);
            tx.Commit();
        }
        using var store = _temp.OpenSqlite(); // a SQLite file from before migration 4
        var old = Assert.Single(store.ListWorkers());
        Assert.Equal(("Old", "elsewhere", 0L), (old.Name, old.ComputerName, old.ProcessStart));
        var holder = Assert.Single(store.HoldersOfActiveJobs(null));
        Assert.Equal(old.IncarnationId, holder.IncarnationId);
        Assert.Equal(old, holder.Registration);
    }

    private static Job Running(IJobStore store, Runbook runbook, string holder)
    {
        var job = store.CreateJob(new NewJob(Guid.NewGuid(), runbook, runbook.PublishedRunbookVersionID!.Value, Array.Empty<StoredParameter>(), null, null, null));
        var worker = store.ListWorkers().Single(w => w.IncarnationId == holder).Name;
        Assert.Contains(store.ClaimJobs(worker, holder, 10), w => w.JobId == job.JobId);
        store.Transition(job.JobId, JobTrigger.ScriptStarted, new TransitionChange { Holder = holder });
        return job;
    }
}
