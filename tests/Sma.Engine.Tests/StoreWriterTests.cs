using Microsoft.Data.Sqlite;
using Sma.Engine.Execution;
using Sma.Engine.Model;
using Sma.Engine.Services;
using Sma.Engine.States;
using Sma.Engine.Store;
using Xunit;

namespace Sma.Engine.Tests;

/// <summary>DESIGN §8: one bad operation neither stalls nor loses the others; nothing is dropped quietly; nobody waits forever.</summary>
public class StoreWriterTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly TempStore _temp = new();
    private readonly IJobStore _real;
    private readonly IJobStore _store;
    private readonly FaultyStore _faults;

    public StoreWriterTests()
    {
        _real = _temp.Open();
        (_store, _faults) = FaultyStore.Wrap(_real);
    }

    public void Dispose()
    {
        _real.Dispose();
        _temp.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The error SQLite gives for a value over its size limit: retrying cannot help.</summary>
    private static SqliteException TooBig() => new("string or blob too big", 18);

    private static bool HasPoison(object? ops) =>
        ops is IReadOnlyList<StoreOp> list && list.Any(op => op is AppendStreamsOp a && a.Rows.Any(r => r.Text == "poison"));

    private Guid RunningJob()
    {
        var runbook = _real.FindRunbook("R") ?? _real.CreateRunbook(new NewRunbook("R", RunbookType.Script, "'x'", null, null, true));
        var job = _real.CreateJob(new NewJob(Guid.NewGuid(), runbook, runbook.PublishedRunbookVersionID!.Value, Array.Empty<StoredParameter>(), null, null, null));
        _real.ClaimJobs("W", "w-1", 1);
        _real.Transition(job.JobId, JobTrigger.ScriptStarted, new TransitionChange());
        return job.JobId;
    }

    private static AppendStreamsOp Rows(Guid job, int count, int poisonAt = -1) => new(job,
        Enumerable.Range(1, count).Select(i => new StreamRow(i, DateTime.UtcNow, StreamType.Output, i == poisonAt ? "poison" : $"row {i}", null, null)).ToList(),
        0, 0);

    [Fact]
    public async Task A_record_that_cannot_be_stored_is_isolated_the_rest_committed_and_its_job_says_so()
    {
        _faults.Before = (method, args) =>
        {
            if (method == nameof(IJobStore.ApplyBatch) && HasPoison(args[0]))
                throw TooBig();
        };
        var bad = RunningJob();
        var good = RunningJob();
        using var writer = new StoreWriter(_store);
        writer.Enqueue(Rows(bad, 200, poisonAt: 77));
        writer.Enqueue(Rows(good, 200));
        var badEnd = writer.TransitionAsync(bad, JobTrigger.ScriptCompleted, new TransitionChange());
        var goodEnd = writer.TransitionAsync(good, JobTrigger.ScriptCompleted, new TransitionChange());
        Assert.True(writer.Flush(Patience), "the writer stalled on the bad record");

        Assert.True((await goodEnd).Applied);
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), _real.ReadStreams(good, null, null).Select(r => r.StreamId));
        Assert.Null(_real.GetJob(good)!.JobException);

        Assert.True((await badEnd).Applied);
        Assert.Equal(Enumerable.Range(1, 200).Where(i => i != 77).Select(i => (long)i), _real.ReadStreams(bad, null, null).Select(r => r.StreamId));
        var job = _real.GetJob(bad)!;
        Assert.Equal("Completed", job.JobStatus);
        Assert.Contains("1 stream record(s) of this job could not be stored", job.JobException);
        Assert.Contains("StreamRecordId 77", job.JobException);
        Assert.Contains("too big", job.JobException);
        Assert.NotNull(writer.LastError);
    }

    [Fact]
    public async Task A_change_that_cannot_be_stored_is_reported_to_its_waiter_and_the_others_commit()
    {
        var bad = RunningJob();
        var good = RunningJob();
        _faults.Before = (method, args) =>
        {
            if (method == nameof(IJobStore.ApplyBatch) && args[0] is IReadOnlyList<StoreOp> ops && ops.Any(op => op is TransitionOp t && t.JobId == bad))
                throw new InvalidOperationException("poisoned change");
        };
        using var writer = new StoreWriter(_store);
        writer.Enqueue(Rows(good, 10));
        var badEnd = writer.TransitionAsync(bad, JobTrigger.ScriptCompleted, new TransitionChange());
        var goodEnd = writer.TransitionAsync(good, JobTrigger.ScriptCompleted, new TransitionChange());
        Assert.True(writer.Flush(Patience));
        Assert.False((await badEnd).Applied);
        Assert.Equal("poisoned change", (await badEnd).Error?.Message);
        Assert.True((await goodEnd).Applied);
        Assert.Equal(10, _real.ReadStreams(good, null, null).Count());
    }

    [Fact]
    public async Task Transient_errors_are_retried_and_lose_nothing()
    {
        var busy = 3;
        _faults.Before = (method, _) =>
        {
            if (method == nameof(IJobStore.ApplyBatch) && Interlocked.Decrement(ref busy) >= 0)
                throw new SqliteException("database is locked", 5);
        };
        var job = RunningJob();
        using var writer = new StoreWriter(_store);
        writer.Enqueue(Rows(job, 50));
        var end = writer.TransitionAsync(job, JobTrigger.ScriptCompleted, new TransitionChange());
        Assert.True(writer.Flush(Patience));
        Assert.True((await end).Applied);
        Assert.Equal(50, _real.ReadStreams(job, null, null).Count());
        Assert.Null(_real.GetJob(job)!.JobException);
    }

    [Fact]
    public async Task Dispose_while_jobs_wait_does_not_hang_and_later_work_is_refused()
    {
        using var inFlight = new ManualResetEventSlim(false);
        using var release = new ManualResetEventSlim(false);
        _faults.Before = (method, _) =>
        {
            if (method != nameof(IJobStore.ApplyBatch))
                return;
            inFlight.Set();
            release.Wait(); // a store that does not answer
        };
        var job = RunningJob();
        var writer = new StoreWriter(_store, TimeSpan.FromMilliseconds(200));
        var first = writer.TransitionAsync(job, JobTrigger.Suspend, new TransitionChange());
        Assert.True(inFlight.Wait(Patience));
        var checkpoint = new TaskCompletionSource<JobStatus?>();
        writer.Enqueue(new SaveCheckpointOp(job, new CheckpointData(0, 0, null, null, null), false, checkpoint.SetResult));
        var queued = writer.TransitionAsync(job, JobTrigger.ScriptCompleted, new TransitionChange());

        writer.Dispose();
        Assert.Null(await checkpoint.Task.WaitAsync(Patience)); // a checkpoint never waits forever on a closed writer
        Assert.IsType<ObjectDisposedException>((await queued.WaitAsync(Patience)).Error);
        var late = writer.TransitionAsync(job, JobTrigger.ScriptCompleted, new TransitionChange());
        Assert.True(late.IsCompleted);
        Assert.False((await late).Applied);

        release.Set();
        await first.WaitAsync(Patience);
    }

    [Fact]
    public void A_job_whose_record_cannot_be_stored_completes_and_says_so_and_the_worker_shows_the_error()
    {
        _faults.Before = (method, args) =>
        {
            if (method == nameof(IJobStore.ApplyBatch) && HasPoison(args[0]))
                throw TooBig();
        };
        using var runtime = new SmaRuntime(_store, TestSessionStates.Instance,
            () => Security.SecretProtector.ForKeyFile(Path.Combine(_temp.Folder, "secret.key")));
        var path = Path.Combine(_temp.Folder, "Leaky.ps1");
        File.WriteAllText(path, "'a'; 'poison'; 'b'");
        var runbook = new RunbookService(runtime).Import(path, null, RunbookType.Script, null, null, publish: true);
        var jobs = new JobService(runtime);
        var job = jobs.Wait(new[] { jobs.Start(runbook, null, null).JobId }, Patience, null, CancellationToken.None)[0];
        Assert.Equal("Completed", job.JobStatus);
        Assert.Equal(new[] { "a", "b" }, jobs.Output(job.JobId, StreamType.Output, null).Select(r => r.StreamText));
        Assert.Contains("1 stream record(s) of this job could not be stored", job.JobException);

        var deadline = DateTime.UtcNow + Patience;
        WorkerInfo? worker = null;
        while (DateTime.UtcNow < deadline && worker?.LastError is null)
        {
            worker = new WorkerService(runtime).List().SingleOrDefault(w => w.Name == runtime.EmbeddedWorker.Name);
            Thread.Sleep(50);
        }
        Assert.Contains("too big", worker?.LastError);
    }

    [Fact]
    public void Heartbeats_never_overlap_when_a_write_is_slow()
    {
        int inside = 0, most = 0, done = 0;
        _faults.Before = (method, _) =>
        {
            if (method != nameof(IJobStore.Heartbeat))
                return;
            var now = Interlocked.Increment(ref inside);
            InterlockedMax(ref most, now);
            Thread.Sleep(2500); // slower than the heartbeat interval (2 s)
            Interlocked.Decrement(ref inside);
            Interlocked.Increment(ref done);
        };
        using var runtime = new SmaRuntime(_store, TestSessionStates.Instance,
            () => Security.SecretProtector.ForKeyFile(Path.Combine(_temp.Folder, "secret.key")));
        _ = runtime.EmbeddedWorker;
        var deadline = DateTime.UtcNow + Patience;
        while (Volatile.Read(ref done) < 2 && DateTime.UtcNow < deadline)
            Thread.Sleep(50);
        Assert.True(Volatile.Read(ref done) >= 2);
        Assert.Equal(1, Volatile.Read(ref most));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
