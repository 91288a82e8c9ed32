using Sma.Engine.Store;

namespace Sma.Engine.Execution;

/// <summary>
/// Group commit: one background thread per store writes stream records and status changes from every job in
/// FIFO order, as many as are waiting in one transaction. Producers never touch the store, and a job that writes
/// faster than the disk is slowed down (bounded memory) rather than buffered without limit.
/// </summary>
internal sealed class StoreWriter : IDisposable
{
    private const int MaxPendingRows = 20_000;
    private const int MaxRowsPerBatch = 10_000;
    private static readonly TimeSpan RetryBudget = TimeSpan.FromSeconds(30);

    private readonly IJobStore _store;
    private readonly Queue<object> _queue = new(); // JobRecorder (its pending rows) or StoreOp
    private readonly object _gate = new();      // guards the queue; the writer thread waits on it for work
    private readonly object _progress = new();  // producers held back and Flush callers wait on it for commits
    private bool _writerIdle;
    private readonly Thread _thread;
    private long _enqueued;
    private long _committed;
    private int _pendingRows;
    private bool _stopping;

    public StoreWriter(IJobStore store)
    {
        _store = store;
        _thread = new Thread(Run) { IsBackground = true, Name = "Sma store writer" };
        _thread.Start();
    }

    /// <summary>Raised on the writer thread after each commit; waiters re-read the store.</summary>
    public event Action? Committed;

    /// <summary>The last error a batch could not get past, if any.</summary>
    public Exception? LastError { get; private set; }

    public void Enqueue(StoreOp op) => EnqueueItem(op);

    /// <summary>A transition committed in order with the job's records; completes with the outcome.</summary>
    public Task<TransitionResult> TransitionAsync(Guid jobId, States.JobTrigger trigger, TransitionChange change)
    {
        var done = new TaskCompletionSource<TransitionResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        EnqueueItem(new TransitionOp(jobId, trigger, change, done.SetResult));
        return done.Task;
    }

    /// <summary>Called by a recorder when it gains its first pending row since its last flush.</summary>
    internal void EnqueueRecorder(JobRecorder recorder) => EnqueueItem(recorder);

    /// <summary>Blocks the producing job while too many rows wait for the disk.</summary>
    internal void AddPendingRow()
    {
        // Lock-free unless the writer is behind: this runs once per record on the job's pipeline thread.
        if (Interlocked.Increment(ref _pendingRows) <= MaxPendingRows)
            return;
        lock (_progress)
        {
            while (Volatile.Read(ref _pendingRows) > MaxPendingRows && !_stopping)
                Monitor.Wait(_progress, 100);
        }
    }

    /// <summary>Waits until everything enqueued before the call is committed (or the timeout passes).</summary>
    public bool Flush(TimeSpan timeout)
    {
        long target;
        lock (_gate)
            target = _enqueued;
        lock (_progress)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (_committed < target)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !_thread.IsAlive)
                    return false;
                Monitor.Wait(_progress, left);
            }
            return true;
        }
    }

    private void EnqueueItem(object item)
    {
        lock (_gate)
        {
            _queue.Enqueue(item);
            _enqueued++;
            // Only the writer waits on this lock; wake it only if it is waiting (a pulse per record costs).
            if (_writerIdle)
                Monitor.Pulse(_gate);
        }
    }

    private void Run()
    {
        var batch = new List<object>();
        while (true)
        {
            lock (_gate)
            {
                while (_queue.Count == 0 && !_stopping)
                {
                    _writerIdle = true;
                    Monitor.Wait(_gate);
                    _writerIdle = false;
                }
                if (_queue.Count == 0 && _stopping)
                    return;
                var rows = 0;
                while (_queue.Count > 0 && rows < MaxRowsPerBatch)
                {
                    var item = _queue.Dequeue();
                    batch.Add(item);
                    rows += item is JobRecorder r ? r.PendingCount : 1;
                }
            }

            var ops = new List<StoreOp>(batch.Count);
            var rowCount = 0;
            foreach (var item in batch)
            {
                if (item is JobRecorder recorder)
                {
                    if (recorder.TakePending() is { } append)
                    {
                        ops.Add(append);
                        rowCount += append.Rows.Count;
                    }
                }
                else
                {
                    ops.Add((StoreOp)item);
                }
            }

            Commit(ops);
            Interlocked.Add(ref _pendingRows, -rowCount);
            lock (_progress)
            {
                _committed += batch.Count;
                Monitor.PulseAll(_progress);
            }
            batch.Clear();
            Committed?.Invoke();
        }
    }

    private void Commit(List<StoreOp> ops)
    {
        var started = DateTime.UtcNow;
        while (true)
        {
            try
            {
                _store.ApplyBatch(ops);
                LastError = null;
                return;
            }
            catch (Exception e) when (DateTime.UtcNow - started < RetryBudget && e is not SmaException)
            {
                LastError = e;
                Thread.Sleep(200);
            }
            catch (Exception e)
            {
                // The store is gone or broken: report every waiting transition as not applied rather than hang.
                LastError = e;
                foreach (var op in ops)
                {
                    if (op is TransitionOp { Done: { } done })
                        done(TransitionResult.Refused(null));
                    else if (op is SaveCheckpointOp { Done: { } saved })
                        saved(null);
                }
                return;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
        }
        lock (_progress)
            Monitor.PulseAll(_progress);
        _thread.Join(TimeSpan.FromSeconds(10));
    }
}
