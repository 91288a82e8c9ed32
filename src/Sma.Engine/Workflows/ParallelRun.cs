using System.Collections;
using System.Collections.Concurrent;
using System.Management.Automation;
using Sma.Engine.Execution;

namespace Sma.Engine.Workflows;

/// <summary>
/// One Parallel block, foreach -parallel or timed activity while it runs: its branches or items run concurrently,
/// each in a runspace of its own on a thread of its own, at most the throttle limit at once. Everything they write
/// is queued in order and handed out by the enumerator on the job's pipeline thread, which writes it to the job's
/// streams (so the job's logging flags, ordering and record numbering apply as to its own records). The first
/// terminating error (or a timeout) stops the other branches and is the block's error.
/// </summary>
public sealed class ParallelRun : IEnumerable<WorkflowRecord>, IDisposable
{
    private const int StackSize = 10 * 1024 * 1024; // as the job's own threads
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    // Internal to PowerShell, so read by reflection; without it (another PowerShell) records are written as they are.
    private static readonly System.Reflection.PropertyInfo? PreserveInvocationInfo = typeof(ErrorRecord).GetProperty(
        "PreserveInvocationInfoOnce", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic);

    private readonly BranchSetup _setup;
    private readonly IReadOnlyList<BranchWork> _work;
    private readonly int _throttle;
    private readonly TimeSpan? _timeout;
    private readonly bool _ownsVariables;
    private readonly BlockingCollection<WorkflowRecord> _records = new(boundedCapacity: 10_000);
    private readonly CancellationTokenSource _cancel = new();
    private readonly HashSet<PowerShell> _running = new();
    private readonly List<Thread> _threads = new();
    private int _next;
    private int _workers;
    private bool _started;
    private ErrorRecord? _failure;
    private volatile bool _stopped;
    private volatile bool _timedOut;

    internal ParallelRun(BranchSetup setup, IReadOnlyList<BranchWork> work, int throttle, TimeSpan? timeout, bool ownsVariables)
    {
        _setup = setup;
        _work = work;
        _throttle = Math.Max(1, Math.Min(throttle, Math.Max(1, work.Count)));
        _timeout = timeout;
        _ownsVariables = ownsVariables;
    }

    /// <summary>The terminating error of the first branch that failed, with its original position.</summary>
    public ErrorRecord? Failure => Volatile.Read(ref _failure);

    /// <summary>The block ran past its timeout (a timed activity) and was stopped.</summary>
    public bool TimedOut => _timedOut;

    /// <summary>Variables the branches created with $Workflow:name, for the workflow's scope (outermost block only).</summary>
    public IReadOnlyList<PSVariable> CreatedVariables => _ownsVariables ? _setup.Variables.Created() : Array.Empty<PSVariable>();

    /// <summary>
    /// A branch was stopped from inside (it was suspended at a checkpoint, or it prompted): the job's pipeline stops
    /// too. Called by the helper after the records are written.
    /// </summary>
    public void ThrowIfStopped()
    {
        if (_stopped)
            throw new PipelineStoppedException();
    }

    public IEnumerator<WorkflowRecord> GetEnumerator()
    {
        Start();
        var deadline = _timeout is { } t ? DateTime.UtcNow + t : (DateTime?)null;
        while (!_records.IsCompleted)
        {
            if (_records.TryTake(out var record, Poll))
            {
                yield return record;
                // The caller asks for the next record only once it has written this one (WaitWritten).
                Interlocked.Increment(ref _written);
                continue;
            }
            if (deadline is { } d && DateTime.UtcNow >= d && !_timedOut)
            {
                _timedOut = true;
                Cancel();
            }
            // Nothing yet: give the job's pipeline a chance to notice Stop-SmaJob.
            yield return WorkflowRecord.Tick;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private void Start()
    {
        lock (_running)
        {
            if (_started)
                throw new InvalidOperationException("A parallel block runs once.");
            _started = true;
            _workers = _work.Count == 0 ? 0 : _throttle;
        }
        if (_workers == 0)
        {
            _records.CompleteAdding();
            return;
        }
        for (var i = 0; i < _throttle; i++)
        {
            var thread = new Thread(Work, StackSize) { IsBackground = true, Name = $"Sma workflow branch {_setup.Key}#{i}" };
            _threads.Add(thread);
            thread.Start();
        }
    }

    private void Work()
    {
        try
        {
            while (!_cancel.IsCancellationRequested)
            {
                var index = Interlocked.Increment(ref _next) - 1;
                if (index >= _work.Count)
                    break;
                if (_setup.Job.Ledger.IsDone(_setup.Key, index))
                    continue; // completed before the checkpoint this job resumed from
                if (RunBranch(_work[index], index))
                    _setup.Job.Ledger.MarkDone(_setup.Key, index);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Fail(new ErrorRecord(e, "WorkflowBranchFailed", ErrorCategory.NotSpecified, null));
        }
        finally
        {
            if (Interlocked.Decrement(ref _workers) == 0)
                _records.CompleteAdding();
        }
    }

    /// <summary>Runs one branch to its end; true when it completed without a terminating error.</summary>
    private bool RunBranch(BranchWork work, int index)
    {
        var location = _setup.Location is { } l && Directory.Exists(l) ? l : null;
        var prepared = RunspaceSupply.Open(_setup.Job.Session, location);
        using var runspace = prepared.Runspace;
        prepared.Host.PromptRefused = _setup.Job.PromptRefused;
        var suspending = _setup.Prepare(runspace, work, index, new BranchCheckpoints(this, work.Code, index));
        using var watch = _setup.Job.JobContext.WatchSuspending(suspending);
        var body = work.Code.Compile();

        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        // Invoke-Command -NoNewScope: the body runs in the branch's global scope and is the outermost frame of its call
        // stack (its own line in Write-Error's records); its trap ends the branch at errors nothing handles (Compile).
        ps.AddCommand("Invoke-Command").AddParameter("ScriptBlock", body).AddParameter("NoNewScope");
        AttachStreams(ps);
        lock (_running)
        {
            if (_cancel.IsCancellationRequested)
                return false;
            _running.Add(ps);
        }
        try
        {
            ps.Invoke(Array.Empty<object>(), new RecordingList<PSObject>(o => Add(WorkflowRecordKind.Output, o)));
        }
        catch (Exception e) when (e is RuntimeException or InvalidOperationException or OperationCanceledException)
        {
            // The outcome is read from the invocation state.
        }
        finally
        {
            lock (_running)
                _running.Remove(ps);
        }

        var state = ps.InvocationStateInfo;
        if (state.State == PSInvocationState.Completed)
            return true;
        if (state.State == PSInvocationState.Stopped || state.Reason is PipelineStoppedException)
        {
            if (!_cancel.IsCancellationRequested)
            {
                // Stopped from inside (suspended at a checkpoint, a refused prompt): the whole job stops.
                _stopped = true;
                Cancel();
            }
            return false;
        }
        if (state.State == PSInvocationState.Failed)
        {
            // An error the body's statement raised (1 + "abc") reaches here wrapped by Invoke-Command; the inner
            // record has the branch's own position.
            var reason = state.Reason is CmdletInvocationException { InnerException: IContainsErrorRecord inner } ? (Exception)inner : state.Reason;
            Fail((reason as IContainsErrorRecord)?.ErrorRecord
                 ?? new ErrorRecord(reason, "WorkflowBranchFailed", ErrorCategory.NotSpecified, null));
        }
        return false;
    }

    /// <summary>
    /// A checkpoint in branch <paramref name="index"/>: the job's checkpoint, taken with the workflow's variables and
    /// (through the ledger, in the job's resume state) the branches and items completed so far, attributed to the job's
    /// statement that runs this block. A branch whose checkpoint is its last statement counts as completed. When the
    /// job is now suspended, the block stops its branches and the job's statement ends. True then.
    /// </summary>
    private bool Checkpoint(BranchCode code, int index, object[] callStack, bool suspend)
    {
        WaitWritten(Interlocked.Read(ref _added));
        if (code.EndsAt(callStack))
            _setup.Job.Ledger.MarkDone(_setup.Key, index);
        if (!_setup.Job.JobContext.CheckpointWith(_setup.WorkflowState(), suspend))
            return false;
        _stopped = true;
        Cancel();
        return true;
    }

    /// <summary>
    /// A checkpoint keeps the records written before it: the branch waits (bounded) until the job's pipeline has
    /// written every record queued so far, so none of them is left in the queue when the job suspends there (a
    /// branch completed at its checkpoint does not run again to write them).
    /// </summary>
    private void WaitWritten(long queued)
    {
        var deadline = DateTime.UtcNow + StopGrace;
        while (Interlocked.Read(ref _written) < queued && !_disposed && !_cancel.IsCancellationRequested && DateTime.UtcNow < deadline)
            Thread.Sleep(1);
    }

    private long _added;   // records the branches queued
    private long _written; // records the job's pipeline wrote

    private sealed class BranchCheckpoints(ParallelRun run, BranchCode code, int index) : IBranchCheckpoints
    {
        public bool Checkpoint(object[] callStack, bool suspend) => run.Checkpoint(code, index, callStack, suspend);
    }

    private void AttachStreams(PowerShell ps)
    {
        var streams = ps.Streams;
        streams.Error = RecordingCollection.Create<ErrorRecord>(r =>
        {
            // Written again by the job's pipeline, the record keeps the branch's position (its original line)
            // instead of taking the position of the command that writes it there.
            PreserveInvocationInfo?.SetValue(r, true);
            Add(WorkflowRecordKind.Error, r);
        });
        streams.Warning = RecordingCollection.Create<WarningRecord>(r => Add(WorkflowRecordKind.Warning, r));
        streams.Verbose = RecordingCollection.Create<VerboseRecord>(r => Add(WorkflowRecordKind.Verbose, r));
        streams.Debug = RecordingCollection.Create<DebugRecord>(r => Add(WorkflowRecordKind.Debug, r));
        streams.Information = RecordingCollection.Create<InformationRecord>(r => Add(WorkflowRecordKind.Information, r));
        streams.Progress = RecordingCollection.Create<ProgressRecord>(r => Add(WorkflowRecordKind.Progress, r));
    }

    /// <summary>
    /// Queues a record for the job's pipeline thread. A full queue slows the branch down to the pace the job writes
    /// at; once the block is disposed (the job was stopped) nobody writes records any more and the branch stops.
    /// </summary>
    private void Add(WorkflowRecordKind kind, object value)
    {
        var record = new WorkflowRecord(kind, value);
        while (!_records.TryAdd(record, Poll))
        {
            if (_disposed)
                throw new PipelineStoppedException();
        }
        Interlocked.Increment(ref _added);
    }

    private volatile bool _disposed;

    private void Fail(ErrorRecord error)
    {
        if (Interlocked.CompareExchange(ref _failure, error, null) is null)
            Cancel();
    }

    /// <summary>Starts no more branches and stops the running ones.</summary>
    private void Cancel()
    {
        lock (_running)
        {
            if (!_cancel.IsCancellationRequested)
                _cancel.Cancel();
            foreach (var ps in _running)
                ps.BeginStop(null, null);
        }
    }

    /// <summary>
    /// Ends the block: stops what still runs (the job was stopped), records directly what the branches wrote that
    /// the pipeline did not take, and forgets the block's ledger entry.
    /// </summary>
    public void Dispose()
    {
        _disposed = true;
        Cancel();
        var deadline = DateTime.UtcNow + StopGrace;
        foreach (var thread in _threads)
        {
            // Drain while waiting, so a branch blocked on a full queue sees the stop.
            while (!thread.Join(Poll))
            {
                DrainLate();
                if (DateTime.UtcNow > deadline)
                    break; // a branch stuck in .NET code: left to end on its own (a background thread)
            }
        }
        DrainLate();
        _setup.Job.Ledger.Forget(_setup.Key);
    }

    private void DrainLate()
    {
        while (_records.TryTake(out var record))
        {
            if (record.Value is { } value)
                _setup.Job.RecordLate(value);
        }
    }
}
