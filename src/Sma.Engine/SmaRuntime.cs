using Sma.Engine.Execution;
using Sma.Engine.Model;
using Sma.Engine.Security;
using Sma.Engine.Signals;
using Sma.Engine.Store;

namespace Sma.Engine;

/// <summary>
/// Everything one process keeps for one store: the store, its writer, the secret codec, the nudges between the
/// processes sharing it, and the session's own worker (started on first need): embedded in this process (Thread
/// isolation) or a background worker process (Process isolation). One per store path per process.
/// </summary>
public sealed class SmaRuntime : IDisposable
{
    private static readonly Dictionary<string, SmaRuntime> ByPath = new(StringComparer.Ordinal);
    private readonly object _lock = new();
    private readonly object _signal = new();
    private readonly Lazy<JobSessionState> _session;
    private readonly Lazy<RunspaceSupply> _supply;
    private readonly Dictionary<string, Worker> _dedicated = new(StringComparer.OrdinalIgnoreCase);
    private readonly object _backgroundLock = new();
    private Worker? _embedded;
    private BackgroundWorker? _background;
    private long _generation;
    private bool _disposed;

    static SmaRuntime() => AppDomain.CurrentDomain.ProcessExit += (_, _) => CloseAll();

    /// <param name="store">The store.</param>
    /// <param name="sessionStates">Where job runspaces come from.</param>
    /// <param name="secrets">The secret key (default: <see cref="SecretProtector.FromEnvironment"/>).</param>
    /// <param name="signals">Nudges between the processes of this machine that use the store.</param>
    /// <param name="storeSetting">
    /// What opens the store again (a file path or a connection string), for a background worker process; by default
    /// the store's description, which is the path of a SQLite store.
    /// </param>
    public SmaRuntime(IJobStore store, ISessionStateFactory sessionStates, Func<SecretProtector>? secrets = null, IStoreSignals? signals = null,
        string? storeSetting = null)
    {
        Store = store;
        StoreSetting = storeSetting ?? store.Description;
        Signals = signals ?? LocalSocketSignals.ForStore(StoreSetting);
        SessionStates = sessionStates;
        var key = secrets ?? SecretProtector.FromEnvironment;
        Codec = new ValueCodec(() => SecretKeyCheck.Verified(store, key()));
        Writer = new StoreWriter(store);
        Writer.Committed += Signal;
        Recovery = new JobRecovery(store, WorkerLiveness.Local);
        // A store shared across machines tells when a job was queued or a request made elsewhere: wake at once.
        // Every process gets the notification itself: wake only this one's workers (re-nudging the others on this
        // machine woke each of them once more per peer, and each wake costs a claim), and only for what it says.
        if (store is IStoreNotifications notifying)
            notifying.JobsChanged += change => { Signal(); WakeLocalWorkers(change); };
        _session = new Lazy<JobSessionState>(
            () => JobCmdlets.AddTo(new JobSessionState(AutomationActivities.Around(sessionStates)), this),
            LazyThreadSafetyMode.ExecutionAndPublication);
        _supply = new Lazy<RunspaceSupply>(() => new RunspaceSupply(Session, () => LocalThrottle, () => LocalRunningJobs == 0), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The factory runtimes opened by <see cref="ForStore"/> use. Tests replace it.</summary>
    public static ISessionStateFactory DefaultSessionStates { get; set; } = new DefaultSessionStateFactory();

    public IJobStore Store { get; }

    /// <summary>What opens this runtime's store again: its file path, or its PostgreSQL connection text.</summary>
    public string StoreSetting { get; }

    /// <summary>The store's schedules (the same store, seen through its schedule interface).</summary>
    public IScheduleStore ScheduleStore => Store as IScheduleStore
        ?? throw new NotSupportedException($"The store at {Store.Description} does not keep schedules.");

    /// <summary>Nudges to and from the other processes that use this store.</summary>
    public IStoreSignals Signals { get; }
    public ISessionStateFactory SessionStates { get; }
    public ValueCodec Codec { get; }
    internal StoreWriter Writer { get; }

    /// <summary>Finds and recovers the jobs of dead workers (workers and reading commands call it).</summary>
    public JobRecovery Recovery { get; }

    /// <summary>The session state job runspaces are made from, with Checkpoint-Workflow, Suspend-Workflow and the asset activities.</summary>
    internal JobSessionState Session => _session.Value;

    /// <summary>Runspaces opened ahead of demand for this process's workers (made when the first worker starts).</summary>
    internal RunspaceSupply Runspaces => _supply.Value;

    /// <summary>
    /// The runtime for the store <paramref name="path"/> names (a SQLite file path, or a PostgreSQL URI or connection
    /// string: <see cref="StoreFactory"/>), opening the store on first use.
    /// </summary>
    public static SmaRuntime ForStore(string path)
    {
        path = StoreFactory.Normalize(path);
        lock (ByPath)
        {
            if (ByPath.TryGetValue(path, out var cached) && cached.Store is IReplaceableStore { Broken: { } broken })
            {
                // The file went away under this process: say so once, let go of it; the next call opens what is
                // at the path then.
                ByPath.Remove(path);
                cached.Dispose();
                throw broken;
            }
            if (!ByPath.TryGetValue(path, out var runtime))
            {
                if (path == StoreLocation.DefaultPath && Environment.GetEnvironmentVariable(StoreLocation.EnvironmentVariable) is null or "")
                    StoreLocation.EnsureUserDataFolder();
                runtime = new SmaRuntime(StoreFactory.Open(path), DefaultSessionStates, storeSetting: path);
                ByPath[path] = runtime;
            }
            return runtime;
        }
    }

    /// <summary>
    /// Lets go of the runtime for <paramref name="path"/> if its store went away (after the error was reported), so
    /// the next call opens what is at the path then.
    /// </summary>
    public static void ReleaseBroken(string path)
    {
        SmaRuntime? broken = null;
        lock (ByPath)
        {
            if (ByPath.TryGetValue(StoreFactory.Normalize(path), out var cached) && cached.Store is IReplaceableStore { Broken: not null })
            {
                ByPath.Remove(StoreFactory.Normalize(path));
                broken = cached;
            }
        }
        broken?.Dispose();
    }

    /// <summary>Stops every runtime this process opened (module removal, process exit).</summary>
    public static void CloseAll()
    {
        List<SmaRuntime> all;
        lock (ByPath)
        {
            all = ByPath.Values.ToList();
            ByPath.Clear();
        }
        foreach (var runtime in all)
            runtime.Dispose();
    }

    /// <summary>This session's worker, started the first time a job needs one (again if it was stopped).</summary>
    public Worker EmbeddedWorker
    {
        get
        {
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_embedded is null || _embedded.Stopped.IsCompleted)
                {
                    _embedded = new Worker(this, $"{Environment.MachineName}-{Environment.ProcessId}", 0, embedded: true);
                    _embedded.Start();
                }
                return _embedded;
            }
        }
    }

    /// <summary>How many jobs this process's workers may run at once (their throttles summed): the warm pool's bound.</summary>
    internal int LocalThrottle
    {
        get
        {
            lock (_lock)
                return (_embedded is { Stopped.IsCompleted: false } e ? e.ThrottleLimit : 0)
                       + _dedicated.Values.Where(w => !w.Stopped.IsCompleted).Sum(w => w.ThrottleLimit);
        }
    }

    /// <summary>How many jobs this process's workers run now.</summary>
    internal int LocalRunningJobs
    {
        get
        {
            lock (_lock)
                return (_embedded?.RunningJobs ?? 0) + _dedicated.Values.Sum(w => w.RunningJobs);
        }
    }

    /// <summary>True when this process already runs a worker that can take jobs.</summary>
    public bool HasLocalWorker
    {
        get
        {
            lock (_lock)
                return _embedded is { Stopped.IsCompleted: false, IsDraining: false } || HasDedicatedWorker;
        }
    }

    /// <summary>True when this process runs a dedicated worker (Start-SmaWorker) that takes jobs.</summary>
    private bool HasDedicatedWorker
    {
        get
        {
            lock (_lock)
                return _dedicated.Values.Any(w => w is { Stopped.IsCompleted: false, IsDraining: false });
        }
    }

    /// <summary>This session's background worker while its process runs (Process isolation), else null.</summary>
    public BackgroundWorker? Background
    {
        get
        {
            lock (_backgroundLock)
                return _background is { IsRunning: true } ? _background : null;
        }
    }

    /// <summary>
    /// Before a job is created or resumed: checks the session's isolation (an unknown $env:SMA_ISOLATION is an error
    /// and nothing is created) and, with Process isolation, makes sure the session's background worker runs, so a
    /// worker that cannot start creates no job. <paramref name="anyWorkerMay"/> is false for a pinned runbook.
    /// </summary>
    public void PrepareSessionWorker(bool anyWorkerMay)
    {
        if (SessionIsolation.Current == JobIsolation.Process && anyWorkerMay && !HasDedicatedWorker)
            EnsureBackgroundWorker();
    }

    /// <summary>
    /// A session starts its own worker only when it needs one. Thread isolation: when no worker is available anywhere
    /// to take an unpinned job, the embedded worker. Process isolation: its background worker, whatever other workers
    /// run (each session has its own), unless this process runs a dedicated worker. Then wake the workers here and in
    /// other processes, so they look now rather than at their next poll.
    /// </summary>
    public void EnsureSessionWorker(bool anyWorkerMay, Func<bool> anyWorkerAvailable)
    {
        Signal();
        if (anyWorkerMay)
        {
            if (SessionIsolation.Current == JobIsolation.Process)
            {
                if (!HasDedicatedWorker)
                    EnsureBackgroundWorker();
            }
            else if (!HasLocalWorker && !anyWorkerAvailable())
            {
                _ = EmbeddedWorker;
            }
        }
        WakeWorkers();
    }

    private void EnsureBackgroundWorker()
    {
        lock (_backgroundLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_background is { IsRunning: true })
                return;
            _background?.Dispose();
            _background = null;
            _background = BackgroundWorker.Launch(this);
        }
    }

    /// <summary>
    /// After the isolation changed: the session's worker of the other kind is let go. An embedded worker drains (its
    /// jobs suspend at their next checkpoint or finish; new jobs go to the background worker); a background worker
    /// is told to drain and exit, and is waited for (10 s at most) until it takes no more jobs.
    /// </summary>
    public void ApplyIsolation()
    {
        if (SessionIsolation.Current == JobIsolation.Process)
        {
            lock (_lock)
                _embedded?.Drain();
        }
        else
        {
            // Bounded wait until it takes no more jobs, so the session's next job runs on its own threads.
            lock (_backgroundLock)
            {
                _background?.Release(Store, TimeSpan.FromSeconds(10));
                _background = null;
            }
        }
    }

    /// <summary>The runtimes this process has open.</summary>
    public static IReadOnlyList<SmaRuntime> Open
    {
        get
        {
            lock (ByPath)
                return ByPath.Values.ToList();
        }
    }

    /// <summary>Starts a dedicated worker in this process (Start-SmaWorker); it runs until drained or disposed.</summary>
    public Worker StartWorker(string name, int throttleLimit)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var worker = new Worker(this, name, throttleLimit, embedded: false);
            worker.Start();
            _dedicated[name] = worker;
            worker.Stopped.ContinueWith(_ =>
            {
                lock (_lock)
                    if (_dedicated.TryGetValue(name, out var current) && current == worker)
                        _dedicated.Remove(name);
            }, TaskScheduler.Default);
            return worker;
        }
    }

    /// <summary>A counter that moves whenever this process commits a change; pair with <see cref="WaitForChange"/>.</summary>
    public long Generation
    {
        get { lock (_signal) return _generation; }
    }

    /// <summary>Waits until <see cref="Generation"/> moves past <paramref name="seen"/> or the timeout passes.</summary>
    public void WaitForChange(long seen, TimeSpan timeout)
    {
        lock (_signal)
        {
            if (_generation == seen)
                Monitor.Wait(_signal, timeout);
        }
    }

    /// <summary>Tells waiters and the embedded worker that something changed in the store.</summary>
    public void Signal()
    {
        lock (_signal)
        {
            _generation++;
            Monitor.PulseAll(_signal);
        }
    }

    /// <summary>Raised when this process changed a schedule or link, so local schedulers read the earliest next run again.</summary>
    internal event Action? SchedulesChanged;

    internal void OnSchedulesChanged() => SchedulesChanged?.Invoke();

    /// <summary>
    /// Wakes the workers of this process, and nudges those of other processes on this machine, so a new job or a stop
    /// request is seen without waiting for a poll.
    /// </summary>
    public void WakeWorkers()
    {
        WakeLocalWorkers(JobsChange.Any);
        // A store that notifies (PostgreSQL) already told every listening process, on this machine or another, of
        // each change a worker waits for (a queued job, a stop, suspend or resume request); a nudge on top would wake
        // each of them twice.
        if (Store is not IStoreNotifications)
            Signals.Send(StoreSignal.Work);
    }

    private void WakeLocalWorkers(JobsChange change)
    {
        lock (_lock)
        {
            _embedded?.Wake(change);
            foreach (var worker in _dedicated.Values)
                worker.Wake(change);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
                return;
            _disposed = true;
        }
        lock (_backgroundLock)
            _background?.Dispose(); // it drains and exits by itself; never waited for
        _embedded?.Dispose();
        List<Worker> dedicated;
        lock (_lock)
            dedicated = _dedicated.Values.ToList();
        foreach (var worker in dedicated)
            worker.Dispose();
        if (_supply.IsValueCreated)
            _supply.Value.Dispose();
        Writer.Flush(TimeSpan.FromSeconds(5));
        Writer.Dispose();
        Signals.Dispose();
        Store.Dispose();
    }
}
