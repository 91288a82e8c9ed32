using System.Collections.Concurrent;
using Sma.Engine.Model;
using Sma.Engine.Store;

namespace Sma.Engine.Execution;

/// <summary>
/// An engine instance that runs jobs: claims Queued jobs atomically up to its throttle, runs each in its own
/// runspace, acts on stop requests from any process, and heartbeats. Background threads only, so it never keeps a
/// process alive.
/// </summary>
public sealed class Worker : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);

    private readonly SmaRuntime _runtime;
    private readonly WorkerContext _context;
    private readonly ConcurrentDictionary<Guid, JobRunner> _running = new();
    private readonly AutoResetEvent _wake = new(false);
    private readonly Thread _loop;
    private volatile bool _stopping;
    private int _throttleLimit;

    internal Worker(SmaRuntime runtime, string name, int throttleLimit, bool embedded)
    {
        _runtime = runtime;
        Name = name;
        IsEmbedded = embedded;
        _throttleLimit = throttleLimit > 0 ? throttleLimit : DefaultThrottleLimit;
        _context = new WorkerContext(name, runtime.Store, runtime.Writer, runtime.SessionStates, runtime.Codec);
        _loop = new Thread(Loop) { IsBackground = true, Name = $"Sma worker {name}" };
    }

    /// <summary>How many jobs a worker runs at once unless told: <c>$env:SMA_THROTTLE_LIMIT</c>, else twice the processor count.</summary>
    public static int DefaultThrottleLimit =>
        int.TryParse(Environment.GetEnvironmentVariable("SMA_THROTTLE_LIMIT"), out var n) && n > 0 ? n : 2 * Environment.ProcessorCount;

    public string Name { get; }
    public bool IsEmbedded { get; }

    public int ThrottleLimit
    {
        get => _throttleLimit;
        set { _throttleLimit = value > 0 ? value : DefaultThrottleLimit; Wake(); }
    }

    public int RunningJobs => _running.Count;

    /// <summary>The last error the worker loop met (the loop keeps going).</summary>
    public Exception? LastError { get; private set; }

    internal void Start()
    {
        _runtime.Store.RegisterWorker(new WorkerRegistration(
            Name, Environment.MachineName, Environment.ProcessId, IsEmbedded, _throttleLimit));
        _loop.Start();
    }

    /// <summary>Look for work and requests now rather than at the next poll.</summary>
    public void Wake() => _wake.Set();

    private void Loop()
    {
        var nextHeartbeat = DateTime.UtcNow + HeartbeatInterval;
        while (!_stopping)
        {
            try
            {
                ClaimAndStart();
                ActOnRequests();
                if (DateTime.UtcNow >= nextHeartbeat)
                {
                    _runtime.Store.Heartbeat(Name, _running.Count);
                    nextHeartbeat = DateTime.UtcNow + HeartbeatInterval;
                }
                LastError = null;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LastError = e; // a busy or briefly unavailable store: try again at the next poll
            }
            _wake.WaitOne(PollInterval);
        }
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
            Task.Run(runner.StartAsync);
        }
    }

    /// <summary>Stop requests arrive as a status change in the store, from this process or another.</summary>
    private void ActOnRequests()
    {
        if (_running.IsEmpty)
            return;
        foreach (var (id, status) in _runtime.Store.GetStatuses(_running.Keys.ToList()))
        {
            if (status == JobStatus.Stopping && _running.TryGetValue(id, out var runner))
                runner.RequestStop();
        }
    }

    public void Dispose()
    {
        if (_stopping)
            return;
        _stopping = true;
        Wake();
        if (_loop.IsAlive)
            _loop.Join(TimeSpan.FromSeconds(5));
        try
        {
            _runtime.Store.UnregisterWorker(Name);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LastError = e; // the store may already be gone at process exit
        }
    }
}
