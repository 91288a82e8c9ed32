using Sma.Engine.Execution;
using Sma.Engine.Security;
using Sma.Engine.Store;

namespace Sma.Engine;

/// <summary>
/// Everything one process keeps for one store: the store, its writer, the secret codec, and the session's embedded
/// worker (started on first need). One per store path per process.
/// </summary>
public sealed class SmaRuntime : IDisposable
{
    private static readonly Dictionary<string, SmaRuntime> ByPath = new(StringComparer.Ordinal);
    private readonly object _lock = new();
    private readonly object _signal = new();
    private const int PreparedRunspaces = 2;
    private readonly Lazy<JobSessionState> _session;
    private readonly Lazy<RunspaceSupply> _supply;
    private readonly Dictionary<string, Worker> _dedicated = new(StringComparer.OrdinalIgnoreCase);
    private Worker? _embedded;
    private long _generation;
    private bool _disposed;

    static SmaRuntime() => AppDomain.CurrentDomain.ProcessExit += (_, _) => CloseAll();

    public SmaRuntime(IJobStore store, ISessionStateFactory sessionStates, Func<SecretProtector>? secrets = null)
    {
        Store = store;
        SessionStates = sessionStates;
        var key = secrets ?? SecretProtector.FromEnvironment;
        Codec = new ValueCodec(() => SecretKeyCheck.Verified(store, key()));
        Writer = new StoreWriter(store);
        Writer.Committed += Signal;
        Recovery = new JobRecovery(store, WorkerLiveness.Local);
        // A store shared across machines tells when a job was queued or a request made elsewhere: wake at once.
        if (store is IStoreNotifications notifying)
            notifying.JobsChanged += () => { Signal(); WakeWorkers(); };
        _session = new Lazy<JobSessionState>(
            () => JobCmdlets.AddTo(new JobSessionState(AutomationActivities.Around(sessionStates)), this),
            LazyThreadSafetyMode.ExecutionAndPublication);
        _supply = new Lazy<RunspaceSupply>(() => new RunspaceSupply(Session, PreparedRunspaces), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The factory runtimes opened by <see cref="ForStore"/> use. Tests replace it.</summary>
    public static ISessionStateFactory DefaultSessionStates { get; set; } = new DefaultSessionStateFactory();

    public IJobStore Store { get; }

    /// <summary>The store's schedules (the same store, seen through its schedule interface).</summary>
    public IScheduleStore ScheduleStore => Store as IScheduleStore
        ?? throw new NotSupportedException($"The store at {Store.Description} does not keep schedules.");

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
                runtime = new SmaRuntime(StoreFactory.Open(path), DefaultSessionStates);
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

    /// <summary>True when this process already runs a worker that can take jobs.</summary>
    public bool HasLocalWorker
    {
        get
        {
            lock (_lock)
                return _embedded is { Stopped.IsCompleted: false } || _dedicated.Values.Any(w => !w.Stopped.IsCompleted);
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

    /// <summary>Wakes the local worker so a new job or a stop request is seen without waiting for a poll.</summary>
    public void WakeWorkers()
    {
        lock (_lock)
        {
            _embedded?.Wake();
            foreach (var worker in _dedicated.Values)
                worker.Wake();
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
        Store.Dispose();
    }
}
