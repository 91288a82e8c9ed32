using System.Collections.Concurrent;
using Sma.Engine.Model;
using Sma.Engine.Signals;
using Sma.Engine.States;
using Sma.Engine.Store;

namespace Sma.Engine.Execution;

/// <summary>
/// An engine instance that runs jobs: claims Queued (and Resuming) jobs atomically up to its throttle, runs each in
/// its own runspace, acts on requests about its jobs from any process, heartbeats, and recovers the jobs of dead
/// workers. Each instance is one incarnation (DESIGN §4.4): a restart under the same name is another. Background
/// threads only, so it never keeps a process alive; disposed at process exit, it settles the jobs it still runs.
/// </summary>
public sealed class Worker : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    // A store that notifies (PostgreSQL) wakes the worker for every job queued or released and every stop, suspend or
    // resume request, from any machine: the poll is only a safety net there, and at 100 ms three idle workers sent the
    // server 30 claims a second and took CPU from the jobs they run.
    private static readonly TimeSpan NotifiedPollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan SettleWait = TimeSpan.FromSeconds(5);
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Worker> LiveHere = new();

    private readonly SmaRuntime _runtime;
    private readonly bool _notified; // the store notifies (PostgreSQL): polls are a safety net
    private readonly WorkerContext _context;
    private readonly ConcurrentDictionary<Guid, JobRunner> _running = new();
    private readonly AutoResetEvent _wake = new(false);
    private readonly Thread _loop;
    private readonly Timer _heartbeat;
    private readonly JobThreads _threads;
    private readonly Scheduler _scheduler;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HashSet<Guid> _drained = new();
    private volatile bool _stopping;
    private volatile bool _draining;
    private volatile bool _requestsDue = true;
    private IDisposable? _nudges;
    private int _throttleLimit;
    private (Exception Error, DateTime Time)? _lastError;

    internal Worker(SmaRuntime runtime, string name, int throttleLimit, bool embedded)
    {
        _runtime = runtime;
        _notified = runtime.Store is IStoreNotifications;
        Name = name;
        Incarnation = Guid.NewGuid().ToString("n");
        IsEmbedded = embedded;
        _throttleLimit = throttleLimit > 0 ? throttleLimit : DefaultThrottleLimit;
        _context = new WorkerContext(name, Incarnation, runtime.Store, runtime.Writer, runtime.Session, runtime.Runspaces, runtime.Codec,
            () => runtime.Signals.Send(StoreSignal.JobsAtRest));
        _loop = new Thread(Loop) { IsBackground = true, Name = $"Sma worker {name}" };
        _threads = new JobThreads($"Sma worker {name}");
        _heartbeat = new Timer(_ => Beat(), null, Timeout.Infinite, Timeout.Infinite);
        _scheduler = new Scheduler(runtime, name);
    }

    /// <summary>How many jobs a worker runs at once unless told: <c>$env:SMA_THROTTLE_LIMIT</c>, else twice the processor count.</summary>
    public static int DefaultThrottleLimit =>
        int.TryParse(Environment.GetEnvironmentVariable("SMA_THROTTLE_LIMIT"), out var n) && n > 0 ? n : 2 * Environment.ProcessorCount;

    /// <summary>
    /// How long a worker may go without a heartbeat before it counts as lost and its jobs are recovered:
    /// <c>$env:SMA_WORKER_TIMEOUT</c> seconds, else 30.
    /// </summary>
    public static TimeSpan LostAfter =>
        TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("SMA_WORKER_TIMEOUT"), out var s) && s > 0 ? s : 30);

    /// <summary>
    /// How long a stopping job may take before it is marked Stopped and its thread abandoned:
    /// <c>$env:SMA_STOP_TIMEOUT</c> seconds, else 10.
    /// </summary>
    public static TimeSpan StopTimeout =>
        TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("SMA_STOP_TIMEOUT"), out var s) && s > 0 ? s : 10);

    /// <summary>True while the incarnation runs in this process (it was started and not yet disposed).</summary>
    public static bool IsLiveHere(string incarnation) => LiveHere.ContainsKey(incarnation);

    public string Name { get; }

    /// <summary>This run of the worker: the jobs it claims are held by it, not by its name.</summary>
    public string Incarnation { get; }

    public bool IsEmbedded { get; }

    public int ThrottleLimit
    {
        get => _throttleLimit;
        set { _throttleLimit = value > 0 ? value : DefaultThrottleLimit; Wake(); }
    }

    public int RunningJobs => _running.Count;

    /// <summary>True once the worker was asked to drain: it takes no new jobs.</summary>
    public bool IsDraining => _draining;

    /// <summary>Completes when the worker has drained (or was disposed) and left the registry.</summary>
    public Task Stopped => _stopped.Task;

    /// <summary>The last error the worker met (its loop and heartbeat keep going); shown in the registry.</summary>
    public Exception? LastError
    {
        get => _lastError?.Error;
        private set => _lastError = value is null ? null : (value, DateTime.UtcNow);
    }

    internal void Start()
    {
        // A worker with another key than the store's would write secrets no other worker can read: refuse now.
        _runtime.Codec.EnsureKey();
        _runtime.Store.RegisterWorker(new WorkerRegistration(
            Name, Incarnation, ProcessIdentity.Host, Environment.ProcessId, ProcessIdentity.CurrentStart, IsEmbedded, _throttleLimit));
        LiveHere[Incarnation] = this;
        // Other processes nudge it when they queue a job or ask for a stop, so an idle worker starts at once.
        _nudges = _runtime.Signals.Listen(StoreSignal.Work, Wake);
        _loop.Start();
        _scheduler.Start();
        // One-shot, re-armed after each beat: a slow write never makes beats overlap.
        _heartbeat.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Look for work and requests now rather than at the next poll.</summary>
    public void Wake() => Wake(JobsChange.Any);

    /// <summary>
    /// Look now for what <paramref name="change"/> says: jobs to take, requests for running jobs (stop, suspend), or
    /// both. On a store that notifies, a wake for work alone (a job queued, one of this worker's jobs ended) skips
    /// reading the running jobs' statuses: every request is notified, and the poll reads them anyway.
    /// </summary>
    public void Wake(JobsChange change)
    {
        if (change.HasFlag(JobsChange.Request))
            _requestsDue = true;
        _wake.Set();
    }

    /// <summary>
    /// Stop taking jobs; ask running jobs to suspend at their next checkpoint (or finish), then hand the suspended
    /// ones to other workers and leave. <see cref="Stopped"/> completes when done.
    /// </summary>
    public void Drain()
    {
        if (_draining)
            return;
        _draining = true;
        _scheduler.Dispose(); // a worker on its way out starts no more scheduled jobs
        Wake();
    }

    private void Loop()
    {
        while (!_stopping)
        {
            try
            {
                if (_draining)
                {
                    DrainStep();
                    if (_running.IsEmpty)
                        break;
                }
                else
                {
                    ClaimAndStart();
                }
                if (_requestsDue || !_notified)
                {
                    _requestsDue = false;
                    ActOnRequests();
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LastError = e; // a busy or briefly unavailable store: try again at the next poll
                _requestsDue = true;
            }
            if (!_wake.WaitOne(_notified ? NotifiedPollInterval : PollInterval))
                _requestsDue = true; // the poll: read what was not notified (a job recovered elsewhere, a stuck stop)
        }
        if (_draining && !_stopping)
            FinishDrain();
    }

    private void ClaimAndStart()
    {
        var free = _throttleLimit - _running.Count;
        if (free <= 0)
            return;
        IReadOnlyList<JobWork> claimed;
        using (PhaseProfile.Measure("worker.claim"))
            claimed = _runtime.Store.ClaimJobs(Name, Incarnation, free);
        if (claimed.Count == 0)
            using (PhaseProfile.Measure("worker.claim.empty")) { }
        foreach (var work in claimed)
        {
            var runner = new JobRunner(work, _context);
            _running[runner.JobId] = runner;
            runner.Completion.ContinueWith(_ =>
            {
                // Only this runner: a job suspended here and resumed at once may already have its next runner under
                // the same id, which must stay watched (else a Stop of the resumed job is never acted on).
                _running.TryRemove(new KeyValuePair<Guid, JobRunner>(runner.JobId, runner));
                Wake(JobsChange.Work);
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            _threads.Run(runner.Run);
        }
    }

    /// <summary>Requests arrive as status changes in the store, from this process or another.</summary>
    private void ActOnRequests()
    {
        if (_running.IsEmpty)
            return;
        using var _ = PhaseProfile.Measure("worker.requests");
        var now = DateTime.UtcNow;
        var bound = StopTimeout;
        foreach (var (id, state) in _runtime.Store.GetStatuses(_running.Keys.ToList()))
        {
            if (!_running.TryGetValue(id, out var runner))
                continue;
            if (!string.Equals(state.Holder, Incarnation, StringComparison.Ordinal) || JobTransitions.IsFinal(state.Status))
                runner.Abandon(); // recovered elsewhere while this worker was thought lost
            else if (runner.StopRequestedAt is { } asked && now - asked > bound)
                runner.AbandonStuck(state.Status, bound); // a stop it does not answer: Stopped, its thread left behind
            else if (state.Status == JobStatus.Stopping)
                runner.RequestStop();
        }
    }

    private void DrainStep()
    {
        foreach (var id in _running.Keys)
        {
            if (_drained.Contains(id))
                continue;
            var result = _runtime.Store.TryTransition(id, JobTrigger.Suspend,
                new TransitionChange { Details = $"Worker '{Name}' is stopping: the job suspends at its next checkpoint." });
            if (result.Applied || result.Current is not (JobStatus.Starting or JobStatus.Resuming))
                _drained.Add(id);
        }
    }

    /// <summary>Jobs the drain suspended continue on another worker from their checkpoint.</summary>
    private void FinishDrain()
    {
        try
        {
            foreach (var (id, state) in _runtime.Store.GetStatuses(_drained))
                if (state.Status == JobStatus.Suspended)
                    _runtime.Store.TryTransition(id, JobTrigger.Resume,
                        new TransitionChange { Details = $"Handed on by worker '{Name}', which stopped." });
            _runtime.Signal();
            _runtime.Signals.Send(StoreSignal.Work); // workers in other processes take the handed-on jobs now
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LastError = e;
        }
        Dispose();
    }

    private void Beat()
    {
        if (_stopping)
            return;
        try
        {
            if (_runtime.Store.Heartbeat(Incarnation, _running.Count, LastErrorText()) == "Stopping")
                Drain(); // Stop-SmaWorker, from any session
            if (_runtime.Recovery.RecoverLost().Count > 0)
            {
                _runtime.Signal();
                Wake();
            }
            RetentionPurger.RunIfDue(_runtime.Store);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LastError = e;
        }
        finally
        {
            try
            {
                if (!_stopping)
                    _heartbeat.Change(HeartbeatInterval, Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
                // disposed meanwhile
            }
        }
    }

    /// <summary>The latest of this worker's and its store writer's last errors, with its time, for the registry.</summary>
    private string? LastErrorText()
    {
        var mine = _lastError;
        var writer = _runtime.Writer.LastErrorAt;
        var latest = mine is { } m && (writer is not { } w || m.Time >= w.Time) ? mine : writer;
        return latest is { } l ? $"{l.Time:u} {JobRunner.OneLine(l.Error.Message)}" : null;
    }

    /// <summary>
    /// Leaves the registry. Jobs still running (the process is exiting, or the module is removed) are settled first:
    /// Workflow jobs Suspended at their last checkpoint, Script jobs Failed, each naming this worker; their records
    /// are committed before that change. Bounded: it never waits on a job.
    /// </summary>
    public void Dispose()
    {
        if (_stopping)
            return;
        _stopping = true;
        LiveHere.TryRemove(Incarnation, out _);
        _scheduler.Dispose();
        _nudges?.Dispose();
        _heartbeat.Dispose();
        _threads.Dispose();
        Wake();
        Settle();
        if (_loop.IsAlive && Thread.CurrentThread != _loop)
            _loop.Join(TimeSpan.FromSeconds(5));
        try
        {
            _runtime.Store.UnregisterWorker(Incarnation);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LastError = e; // the store may already be gone at process exit
        }
        _stopped.TrySetResult();
    }

    private void Settle()
    {
        var runners = _running.Values.ToList();
        if (runners.Count == 0)
            return;
        try
        {
            foreach (var runner in runners)
            {
                runner.Abandon();
                var (trigger, details) = RecoveryPolicy.OnExit(runner.RunbookType, Name);
                _ = _runtime.Writer.TransitionAsync(runner.JobId, trigger, new TransitionChange { Details = details, Holder = Incarnation });
            }
            _runtime.Writer.Flush(SettleWait);
            _runtime.Signals.Send(StoreSignal.JobsAtRest);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LastError = e; // left to recovery, which finds this incarnation dead
        }
    }
}
