namespace Sma.Engine.Execution;

/// <summary>
/// Long-lived threads that run jobs start to end (open, invoke, finish). A job's pipeline runs on the thread that
/// opened its runspace (PSThreadOptions.UseCurrentThread), and threads are kept for the next job instead of a new
/// one per pipeline: thread churn cost CPU in creation, finalizers and per-thread buffers (profiled, B1).
/// </summary>
internal sealed class JobThreads : IDisposable
{
    private const int StackSize = 10 * 1024 * 1024; // what pwsh gives its pipelines: deep recursion works
    private static readonly TimeSpan IdleLifetime = TimeSpan.FromSeconds(30);

    private readonly string _name;
    private readonly Queue<Action> _work = new();
    private readonly object _gate = new();
    private int _idle;
    private int _count;
    private bool _disposed;

    public JobThreads(string name) => _name = name;

    public void Run(Action work)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _work.Enqueue(work);
            // Each waiting thread takes one item: wake one only if enough are waiting for everything queued
            // (a woken thread counts as waiting until it has the lock again), else start another.
            if (_idle >= _work.Count)
            {
                Monitor.Pulse(_gate);
                return;
            }
            _count++;
        }
        new Thread(Loop, StackSize) { IsBackground = true, Name = $"{_name} job {_count}" }.Start();
    }

    private void Loop()
    {
        while (true)
        {
            Action work;
            lock (_gate)
            {
                while (_work.Count == 0)
                {
                    if (_disposed)
                    {
                        _count--;
                        return;
                    }
                    _idle++;
                    var signalled = Monitor.Wait(_gate, IdleLifetime);
                    _idle--;
                    if (!signalled && _work.Count == 0)
                    {
                        _count--;
                        return;
                    }
                }
                work = _work.Dequeue();
            }
            work();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            Monitor.PulseAll(_gate);
        }
    }
}
