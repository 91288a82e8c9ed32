using Sma.Engine.Model;
using Sma.Engine.Store;

namespace Sma.Engine.Execution;

/// <summary>
/// Numbers a job's records in the order they were written (one sequence across all kinds), stamps them with the
/// store's clock (UTC; a server store's time, whatever this machine's clock says), counts errors and warnings, and hands them to the <see cref="StoreWriter"/> in batches.
/// </summary>
internal sealed class JobRecorder
{
    private readonly StoreWriter _writer;
    private readonly object _lock = new();
    private List<StreamRow> _pending = new();
    private long _lastId;
    private bool _queued;
    private volatile bool _sealed;

    public JobRecorder(Guid jobId, long lastStreamId, StoreWriter writer)
    {
        JobId = jobId;
        _lastId = lastStreamId;
        _writer = writer;
    }

    public Guid JobId { get; }

    /// <summary>The secrets the job was handed: records holding one are masked and encrypted before they are stored.</summary>
    public JobSecrets? Secrets { get; set; }

    public int ErrorCount { get; private set; }
    public int WarningCount { get; private set; }

    /// <summary>The id of the last record handed out.</summary>
    public long LastStreamId
    {
        get { lock (_lock) return _lastId; }
    }

    internal int PendingCount
    {
        get { lock (_lock) return _pending.Count; }
    }

    /// <summary>Takes no more records: the job is no longer this runner's (it was settled, recovered or abandoned).</summary>
    public void Seal() => _sealed = true;

    public void Add(StreamType type, string text, string? valueXml = null, byte[]? secret = null)
    {
        if (_sealed)
            return;
        if (Secrets is { Any: true } secrets)
            (text, valueXml, secret) = secrets.Protect(text, valueXml, secret);
        _writer.AddPendingRow();
        var time = _writer.Now(); // outside the lock: now and then it asks the server its time
        bool enqueue;
        lock (_lock)
        {
            _pending.Add(new StreamRow(++_lastId, time, type, text, valueXml, secret));
            if (type == StreamType.Error) ErrorCount++;
            else if (type == StreamType.Warning) WarningCount++;
            enqueue = !_queued;
            _queued = true;
        }
        if (enqueue)
            _writer.EnqueueRecorder(this);
    }

    internal AppendStreamsOp? TakePending()
    {
        lock (_lock)
        {
            _queued = false;
            if (_pending.Count == 0)
                return null;
            var rows = _pending;
            _pending = new List<StreamRow>(Math.Min(rows.Count, 1024));
            return new AppendStreamsOp(JobId, rows, ErrorCount, WarningCount);
        }
    }
}
