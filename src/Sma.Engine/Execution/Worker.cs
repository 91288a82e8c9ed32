using System.Collections.Concurrent;
using Sma.Engine.Model;
using Sma.Engine.States;
using Sma.Engine.Store;

namespace Sma.Engine.Execution;

/// <summary>
/// An engine instance that runs jobs: claims Queued (and Resuming) jobs atomically up to its throttle, runs each in
/// its own runspace, acts on requests about its jobs from any process, heartbeats, and recovers the jobs of workers
/// whose heartbeat went stale. Background threads only, so it never keeps a process alive.
/// </summary>
public sealed class Worker : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(2);
    private const int MaxRecoveries = 3;

    private readonly SmaRuntime _runtime;
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
    private int _throttleLimit;

    internal Worker(SmaRuntime runtime, string name, int throttleLimit, bool embedded)
    {
        _runtime = runtime;
        Name = name;
        IsEmbedded = embedded;
        _throttleLimit = throttleLimit > 0 ? throttleLimit : DefaultThrottleLimit;
        _context = new WorkerContext(name, runtime.Store, runtime.Writer, runtime.Session, runtime.Runspaces, runtime.Codec);
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

    public string Name { get; }
    public bool IsEmbedded { get; }

    public int ThrottleLimit
    {
        get => _throttleLimit;
        set { _throttleLimit = value > 0 ? value : DefaultThrottleLimit; Wake(); }
    }

    public int RunningJobs => _running.Count;

    /// <summary>Completes when the worker has drained (or was disposed) and left the registry.</summary>
    public Task Stopped => _stopped.Task;

    /// <summary>The last error the worker loop met (the loop keeps going).</summary>
    public Exception? LastError { get; private set; }

    internal void Start()
    {
        _runtime.Store.RegisterWorker(new WorkerRegistration(
            Name, Environment.MachineName, Environment.ProcessId, IsEmbedded, _throttleLimit));
        _loop.Start();
        _scheduler.Start();
        _heartbeat.Change(TimeSpan.Zero, HeartbeatInterval);
    }

    /// <summary>Look for work and requests now rather than at the next poll.</summary>
    public void Wake() => _wake.Set();

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
                ActOnRequests();
                LastError = null;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LastError = e; // a busy or briefly unavailable store: try again at the next poll
            }
            _wake.WaitOne(PollInterval);
        }
        if (_draining && !_stopping)
            FinishDrain();
    }

    private void ClaimAndStart()
    {
        var free = _throttleLimit - _running.Count;
        if (free <= 0)
            return;
        foreach (var work in _runtime.Store.ClaimJobs(Name, free))
        {
            var runner = new JobRunner(work, _context);
            _running[runner.JobId] = runner;
            runner.Completion.ContinueWith(_ =>
            {
                _running.TryRemove(runner.JobId, out JobRunner? _);
                Wake();
            }, TaskScheduler.Default);
            _threads.Run(runner.Run);
        }
    }

    /// <summary>Requests arrive as status changes in the store, from this process or another.</summary>
    private void ActOnRequests()
    {
        if (_running.IsEmpty)
            return;
        foreach (var (id, (status, worker)) in _runtime.Store.GetStatuses(_running.Keys.ToList()))
        {
            if (!_running.TryGetValue(id, out var runner))
                continue;
            if (!string.Equals(worker, Name, StringComparison.OrdinalIgnoreCase) || JobTransitions.IsFinal(status))
                runner.Abandon(); // recovered elsewhere while this worker was thought lost
            else if (status == JobStatus.Stopping)
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
            foreach (var (id, (status, _)) in _runtime.Store.GetStatuses(_drained))
                if (status == JobStatus.Suspended)
                    _runtime.Store.TryTransition(id, JobTrigger.Resume,
                        new TransitionChange { Details = $"Handed on by worker '{Name}', which stopped." });
            _runtime.Signal();
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
            if (_runtime.Store.Heartbeat(Name, _running.Count) == "Stopping")
                Drain(); // Stop-SmaWorker, from any session
            if (_runtime.Store.RecoverLostJobs(DateTime.UtcNow - LostAfter, MaxRecoveries).Count > 0)
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
    }

    public void Dispose()
    {
        if (_stopping)
            return;
        _stopping = true;
        _scheduler.Dispose();
        _heartbeat.Dispose();
        _threads.Dispose();
        Wake();
        if (_loop.IsAlive && Thread.CurrentThread != _loop)
            _loop.Join(TimeSpan.FromSeconds(5));
        try
        {
            _runtime.Store.UnregisterWorker(Name);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LastError = e; // the store may already be gone at process exit
        }
        _stopped.TrySetResult();
    }
}
