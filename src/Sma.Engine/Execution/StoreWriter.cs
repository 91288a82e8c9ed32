using Sma.Engine.States;
using Sma.Engine.Store;

namespace Sma.Engine.Execution;

/// <summary>
/// Group commit: one background thread per store writes stream records and status changes from every job in
/// FIFO order, as many as are waiting in one transaction. Producers never touch the store, and a job that writes
/// faster than the disk is slowed down (bounded memory) rather than buffered without limit.
/// A transient failure (busy, an I/O blip) is retried; a batch that fails otherwise is split until the one
/// operation or record that cannot be stored is isolated, so the rest of the batch is committed and nothing else
/// waits on it. A job whose records could not be stored says so in its JobException.
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
    private readonly Dictionary<Guid, LostRecords> _lost = new(); // writer thread only
    private bool _writerIdle;
    private readonly Thread _thread;
    private long _enqueued;
    private long _committed;
    private int _pendingRows;
    private bool _stopping;
    private bool _refusing;
    private (Exception Error, DateTime Time)? _lastError;
    private readonly TimeSpan _disposeWait;

    public StoreWriter(IJobStore store) : this(store, TimeSpan.FromSeconds(10))
    {
    }

    /// <param name="store">Where to write.</param>
    /// <param name="disposeWait">How long Dispose waits for the writer to finish what is queued.</param>
    internal StoreWriter(IJobStore store, TimeSpan disposeWait)
    {
        _store = store;
        _disposeWait = disposeWait;
        _thread = new Thread(Run) { IsBackground = true, Name = "Sma store writer" };
        _thread.Start();
    }

    /// <summary>Raised on the writer thread after each commit; waiters re-read the store.</summary>
    public event Action? Committed;

    /// <summary>The last error the writer met (retried, or isolated with what it cost), if any.</summary>
    public Exception? LastError => _lastError?.Error;

    /// <summary>The last error with its UTC time.</summary>
    public (Exception Error, DateTime Time)? LastErrorAt => _lastError;

    /// <summary>Now on the store's clock (a server store's, whatever this machine's clock says): what job times are stamped with.</summary>
    public DateTime Now() => _store.ReadClock();

    private void Report(Exception error) => _lastError = (error, DateTime.UtcNow);

    public void Enqueue(StoreOp op) => EnqueueItem(op);

    /// <summary>A transition committed in order with the job's records; completes with the outcome.</summary>
    public Task<TransitionResult> TransitionAsync(Guid jobId, JobTrigger trigger, TransitionChange change)
    {
        var done = new TaskCompletionSource<TransitionResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        EnqueueItem(new TransitionOp(jobId, trigger, change, done.SetResult));
        return done.Task;
    }

    /// <summary>
    /// A transition committed in order with the job's records; <paramref name="then"/> runs on the writer thread once
    /// it is stored (or refused), so it must be short and never block. A job's own follow-ups use this rather than a
    /// task continuation: a thread-pool hop per change woke idle pool threads that then spun (profiled, B1).
    /// </summary>
    public void Transition(Guid jobId, JobTrigger trigger, TransitionChange change, Action<TransitionResult> then) =>
        EnqueueItem(new TransitionOp(jobId, trigger, change, result =>
        {
            try
            {
                then(result);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Report(e); // never into the batch: the store already committed it
            }
        }));

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
            if (!_refusing)
            {
                _queue.Enqueue(item);
                _enqueued++;
                // Only the writer waits on this lock; wake it only if it is waiting (a pulse per record costs).
                if (_writerIdle)
                    Monitor.Pulse(_gate);
                return;
            }
        }
        // Disposed: nobody will write this, so nobody may wait for it.
        Refuse(item, new ObjectDisposedException(nameof(StoreWriter), "The store writer was closed."));
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

            try
            {
                using (PhaseProfile.Measure("writer.commit"))
                    Commit(ops);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Never let the writer thread die: everyone would wait on it.
                Report(e);
                foreach (var op in ops)
                    Refuse(op, e);
            }
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

    /// <summary>Commits the operations in order; what cannot be stored is isolated and reported, the rest committed.</summary>
    private void Commit(List<StoreOp> ops)
    {
        if (ops.Count == 0)
            return;
        Exception failure;
        try
        {
            ApplyRetryingTransient(ops);
            return;
        }
        catch (SmaException e)
        {
            // The store is gone or broken: nothing will be written; report every waiter rather than hang it.
            Report(e);
            foreach (var op in ops)
                Refuse(op, e);
            return;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            failure = e;
        }

        Report(failure);
        if (ops.Count > 1)
        {
            var half = ops.Count / 2;
            Commit(ops.GetRange(0, half));
            Commit(ops.GetRange(half, ops.Count - half));
        }
        else if (ops[0] is AppendStreamsOp { Rows.Count: > 1 } append)
        {
            var half = append.Rows.Count / 2;
            Commit(new List<StoreOp> { append with { Rows = append.Rows.Take(half).ToList() } });
            Commit(new List<StoreOp> { append with { Rows = append.Rows.Skip(half).ToList() } });
        }
        else if (ops[0] is AppendStreamsOp single)
        {
            var lost = _lost.TryGetValue(single.JobId, out var known) ? known : _lost[single.JobId] = new LostRecords();
            lost.Add(single.Rows[0], failure);
        }
        else
        {
            Refuse(ops[0], failure);
        }
    }

    private void ApplyRetryingTransient(List<StoreOp> ops)
    {
        var started = DateTime.UtcNow;
        var delay = 50;
        while (true)
        {
            try
            {
                _store.ApplyBatch(_lost.Count == 0 ? ops : ops.Select(NoteLosses).ToList());
                return;
            }
            catch (Exception e) when (StoreFaults.IsTransient(e) && DateTime.UtcNow - started < RetryBudget && !_refusing)
            {
                Report(e);
                Thread.Sleep(delay);
                delay = Math.Min(delay * 2, 1000);
            }
        }
    }

    /// <summary>
    /// A later change of a job that lost records carries the loss into its JobException, until a final change has
    /// been stored with it.
    /// </summary>
    private StoreOp NoteLosses(StoreOp op)
    {
        if (op is not TransitionOp transition || !_lost.TryGetValue(transition.JobId, out var lost))
            return op;
        var note = lost.Describe();
        var exception = transition.Change.Exception is { } existing ? existing + Environment.NewLine + note : note;
        var done = transition.Done;
        return transition with
        {
            Change = transition.Change with { Exception = exception },
            Done = result =>
            {
                if (result.Applied && result.To is { } to && JobTransitions.IsFinal(to))
                    _lost.Remove(transition.JobId);
                done?.Invoke(result);
            },
        };
    }

    /// <summary>Completes a waiter whose operation will not be stored, so nobody waits on it forever.</summary>
    private static void Refuse(object item, Exception error)
    {
        switch (item)
        {
            case TransitionOp { Done: { } done }:
                done(TransitionResult.Failed(error));
                break;
            case SaveCheckpointOp { Done: { } saved }:
                saved(null);
                break;
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
        _thread.Join(_disposeWait);
        // Whatever the writer did not reach (it is stuck on the store, or gone) is refused, and so is anything later.
        List<object> left;
        lock (_gate)
        {
            _refusing = true;
            left = _queue.ToList();
            _queue.Clear();
        }
        var closed = new ObjectDisposedException(nameof(StoreWriter), "The store writer was closed.");
        foreach (var item in left)
            Refuse(item, closed);
        lock (_progress)
        {
            _committed += left.Count;
            Monitor.PulseAll(_progress);
        }
    }

    /// <summary>Records of one job that could not be stored.</summary>
    private sealed class LostRecords
    {
        private readonly List<long> _ids = new();
        private string _error = "";
        private int _count;

        public void Add(StreamRow row, Exception error)
        {
            if (_count++ == 0)
                _error = JobRunner.OneLine(error.Message);
            if (_ids.Count < 10)
                _ids.Add(row.StreamId);
        }

        public string Describe() =>
            $"{_count} stream record(s) of this job could not be stored and are missing from its output " +
            $"(StreamRecordId {string.Join(", ", _ids)}{(_count > _ids.Count ? ", ..." : "")}): {_error}";
    }
}
