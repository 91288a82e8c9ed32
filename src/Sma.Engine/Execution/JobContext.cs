using System.Collections;
using System.Management.Automation;
using Sma.Engine.Execution.Resume;

namespace Sma.Engine.Execution;

/// <summary>What a job saves at a checkpoint, before encoding.</summary>
internal sealed record CheckpointState(
    ResumePoint Point,
    Hashtable Variables,
    string? Location,
    IReadOnlyDictionary<int, object?[]> Loops,
    IReadOnlyDictionary<string, object?> ResumeState);

/// <summary>What a resumed run gets back from its checkpoint, decoded.</summary>
internal sealed record RestoredState(
    IDictionary? Variables,
    string? Location,
    IReadOnlyDictionary<int, IList<object?>> Loops,
    IReadOnlyDictionary<string, object?> ResumeState);

/// <summary>What a job's runspace can ask of its runner: save a checkpoint, restore one.</summary>
internal interface ICheckpointSink
{
    RunbookScript Script { get; }

    /// <summary>The preference values this job started with (its logging flags applied).</summary>
    string StartingPreference(string name);

    /// <summary>Saves the checkpoint (blocking until committed); true when the job is now Suspended.</summary>
    bool SaveCheckpoint(CheckpointState state, bool suspend);

    /// <summary>The checkpoint this run resumes from, decoded; null for a run from the start.</summary>
    RestoredState? Resumed();

    /// <summary>Stops the job's pipeline after a checkpoint suspended the job.</summary>
    void StopSuspended();

    /// <summary>The job suspended: no checkpoint is taken any more.</summary>
    bool Suspended { get; }
}

/// <summary>
/// How the runspace of a parallel branch (a Parallel branch, a foreach -parallel item, a timed activity) takes a
/// checkpoint: through the block that runs it, which knows the workflow's variables and which branches completed.
/// </summary>
internal interface IBranchCheckpoints
{
    /// <summary>
    /// Checkpoint-Workflow (<paramref name="suspend"/> false) or Suspend-Workflow in the branch, called on the branch's
    /// thread with its call stack; true when the job is now Suspended (the branch must then end at once).
    /// </summary>
    bool Checkpoint(object[] callStack, bool suspend);
}

/// <summary>
/// The object behind <c>$__SmaJob</c> in a job's runspace. Checkpoint-Workflow, Suspend-Workflow and the first
/// statement of a resumed run call it; so does engine code that runs parts of a job elsewhere (the workflow
/// translator's parallel helper), through <see cref="ResumeState"/>, <see cref="SetResumeState"/> and
/// <see cref="CheckpointWith"/>. Public only so PowerShell can call it; not for runbooks to use.
/// </summary>
public sealed class JobContext
{
    // Variables PowerShell sets while running; never the runbook's own state.
    private static readonly HashSet<string> Automatic = new(StringComparer.OrdinalIgnoreCase)
    {
        "_", "PSItem", "args", "input", "MyInvocation", "PSBoundParameters", "PSCmdlet", "PSScriptRoot", "PSCommandPath",
        "LASTEXITCODE", "foreach", "switch", "this", "sender", "EventArgs", "Event", "EventSubscriber",
        "StackTrace", "?", "^", "$", "Error", "PWD", "null", "true", "false", "PSDebugContext", "ExecutionContext",
    };

    private readonly ICheckpointSink _sink;
    private readonly JobSessionState _session;
    private readonly PathTracker _path;
    private readonly object _gate;
    private readonly Dictionary<string, object?> _resumeState;
    private readonly HashSet<PSVariable> _suspendingFlags; // $__SmaSuspending of the job's branch runspaces
    private readonly IBranchCheckpoints? _branch; // set in a branch runspace's context
    private int _replayedCalls; // resumed at a statement to run again: checkpoints through calls it had taken already

    internal JobContext(ICheckpointSink sink, JobSessionState session, PathTracker path)
    {
        _sink = sink;
        _session = session;
        _path = path;
        _gate = new object();
        _resumeState = new Dictionary<string, object?>(StringComparer.Ordinal);
        _suspendingFlags = new HashSet<PSVariable>();
    }

    private JobContext(JobContext job, IBranchCheckpoints branch)
    {
        (_sink, _session, _path, _gate, _resumeState, _suspendingFlags) =
            (job._sink, job._session, job._path, job._gate, job._resumeState, job._suspendingFlags);
        _branch = branch;
    }

    /// <summary>
    /// The <c>$__SmaJob</c> of a branch runspace of this job: the same job, except that its checkpoints go through
    /// <paramref name="branch"/> (the block running it), which takes them with <see cref="CheckpointWith"/>.
    /// </summary>
    internal JobContext ForBranch(IBranchCheckpoints branch) => new(this, branch);

    /// <summary>
    /// A branch runspace's <c>$__SmaSuspending</c>: set with the job's own when the job suspends, so that the finally
    /// blocks and traps of a branch being stopped stand aside too. Dispose when the branch has ended.
    /// </summary>
    internal IDisposable WatchSuspending(PSVariable flag)
    {
        lock (_suspendingFlags)
        {
            _suspendingFlags.Add(flag);
            if (_sink.Suspended)
                flag.Value = true;
        }
        return new Unwatch(this, flag);
    }

    private sealed class Unwatch(JobContext job, PSVariable flag) : IDisposable
    {
        public void Dispose()
        {
            lock (job._suspendingFlags)
                job._suspendingFlags.Remove(flag);
        }
    }

    /// <summary>
    /// Where <paramref name="extent"/> starts in the runbook's source ("line:column"), the same on every run of the
    /// job; null when it is not in the runbook's own text.
    /// </summary>
    internal string? SourcePlace(System.Management.Automation.Language.IScriptExtent extent) => _sink.Script.SourcePlace(extent);

    /// <summary>
    /// The statement the job's script last marked as one that may checkpoint through a call or a helper (an object
    /// that changes each time a marked statement starts, also when the same statement starts again); null before any.
    /// </summary>
    internal object? CurrentMark => _path.LastMark;

    /// <summary>
    /// Checkpoint-Workflow (<paramref name="suspend"/> false) and Suspend-Workflow (true). <paramref name="site"/>
    /// is the statement's site when the rewriter found it on the static path (resume right after it); -1 for a
    /// checkpoint reached through a call, placed by the runbook's frame in <paramref name="callStack"/> (resume by
    /// running that statement again). While a resumed run runs its statement again, the checkpoints through calls
    /// it had already taken, up to the one it resumed from, are passed over: nothing is saved and none suspends.
    /// </summary>
    public void Checkpoint(SessionState state, object[] variables, int site, object[] callStack, bool suspend)
    {
        if (_sink.Suspended)
            throw new PipelineStoppedException(); // reached while the suspended job unwinds: its checkpoint is saved
        if (_branch is not null)
        {
            // In a parallel branch: the block takes the job's checkpoint with the workflow's variables.
            if (_branch.Checkpoint(callStack, suspend))
                throw new PipelineStoppedException(); // the block is stopping this branch's pipeline
            return;
        }
        var values = new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (var item in variables)
            if ((item is PSObject p ? p.BaseObject : item) is PSVariable variable && IsRunbookState(variable))
                values[variable.Name] = variable.Value;

        var script = _sink.Script;
        (ResumePoint Point, Dictionary<int, object?[]> Loops) at;
        lock (_gate)
        {
            if (site >= 0)
            {
                at = script.PointOfSite(site, after: true, _path);
            }
            else
            {
                var call = _path.NextCallCheckpoint();
                if (call <= _replayedCalls && _path.InResumedStatement)
                    return; // taken before the checkpoint this run resumed from
                at = script.PointAt(RunbookFrameOffset(callStack, script.Text), call, _path);
            }
        }
        var location = state.Path.CurrentFileSystemLocation?.ProviderPath;
        if (Save(at.Point, values, location, at.Loops, suspend))
        {
            // Suspended: nothing after this point runs until Resume-SmaJob. The pipeline is stopping before the
            // exception unwinds, so no trap or catch of the runbook handles it.
            _sink.StopSuspended();
            throw new PipelineStoppedException();
        }
    }

    /// <summary>First statement of a resumed run: puts back the variables, location and loops of the checkpoint.</summary>
    public void Restore(SessionState state)
    {
        if (_sink.Resumed() is not { } restored)
            return;
        if (restored.Variables is not null)
        {
            foreach (DictionaryEntry entry in restored.Variables)
            {
                try
                {
                    state.PSVariable.Set(entry.Key.ToString()!, entry.Value);
                }
                catch (SessionStateUnauthorizedAccessException)
                {
                    // A read-only variable the runbook's definitions already set; it keeps that value.
                }
            }
        }
        if (restored.Location is { } location && Directory.Exists(location))
            state.Path.SetLocation(WildcardPattern.Escape(location));
        foreach (var (id, walk) in _sink.Script.RestoredWalks(restored.Loops))
            _path.Restore(id, walk);
        lock (_gate)
        {
            foreach (var (key, value) in restored.ResumeState)
                _resumeState[key] = value;
            _replayedCalls = _sink.Script.Resume is { After: false } point ? point.Call : 0;
            _path.Resumed(_sink.Script.ResumedSite);
        }
        // Until the checkpoint's statement is reached, statements before the resume path are skipped.
        state.PSVariable.Set(JobSessionState.ResumeVariable, true);
    }

    /// <summary>
    /// A value kept with every checkpoint of this job under <paramref name="key"/> and given back on resume (null if
    /// none) — e.g. which branches of a parallel statement have completed. The values are serialized like
    /// checkpoint variables, so after a resume they are deserialized copies (an array comes back as an ArrayList,
    /// a [pscustomobject] as a property bag; other values as themselves, not wrapped in a PSObject). Thread-safe.
    /// </summary>
    public object? ResumeState(string key)
    {
        lock (_gate)
            return _resumeState.TryGetValue(key, out var value) ? value : null;
    }

    /// <summary>
    /// Sets (or, with null, removes) a value kept with the next checkpoints. Take a key that names the statement
    /// (e.g. its position) and remove it when the statement completes, so a later run of it starts afresh.
    /// Thread-safe.
    /// </summary>
    public void SetResumeState(string key, object? value)
    {
        lock (_gate)
        {
            if (value is null)
                _resumeState.Remove(key);
            else
                _resumeState[key] = value;
        }
    }

    /// <summary>
    /// Takes a checkpoint from any thread with the given workflow variables (name → value) as the job's state,
    /// attributed to the statement the main script is running: the last one that marked itself as calling a
    /// helper command (see <see cref="RunbookScript.DefaultHelperCommands"/>), with the positions of the loops around
    /// it. On resume that statement runs again with these variables and this job's <see cref="ResumeState"/>, so
    /// the helper skips what it recorded as done. Blocks until the checkpoint is committed. Returns true when the
    /// job is now Suspended (a Suspend-SmaJob was pending, or <paramref name="suspend"/>): the engine has asked the
    /// job's pipeline to stop (the runbook's finally blocks and traps stand aside); the helper then starts nothing
    /// more, stops its branches, and ends its statement by throwing a <see cref="PipelineStoppedException"/> on the
    /// job's thread, so not one more statement of the runbook runs.
    /// </summary>
    public bool CheckpointWith(IDictionary variables, bool suspend)
    {
        if (_sink.Suspended)
            return true;
        var values = new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in variables)
            values[entry.Key.ToString()!] = entry.Value;
        (ResumePoint Point, Dictionary<int, object?[]> Loops) at;
        string? location;
        lock (_gate)
        {
            var mark = _path.LastMark;
            at = _sink.Script.PointOfSite(mark?.Site ?? -1, after: false, _path);
            location = mark?.Location;
        }
        if (!Save(at.Point, values, location, at.Loops, suspend))
            return false;
        _sink.StopSuspended();
        return true;
    }

    private bool Save(ResumePoint point, Hashtable values, string? location, Dictionary<int, object?[]> loops, bool suspend)
    {
        Dictionary<string, object?> bag;
        lock (_gate)
            bag = new Dictionary<string, object?>(_resumeState, StringComparer.Ordinal);
        if (!_sink.SaveCheckpoint(new CheckpointState(point, values, location, loops, bag), suspend))
            return false;
        lock (_suspendingFlags)
        {
            foreach (var flag in _suspendingFlags)
                flag.Value = true;
        }
        return true;
    }

    /// <summary>The position of the runbook's own frame: the outermost frame whose script is the running text.</summary>
    private static int RunbookFrameOffset(object[] callStack, string text)
    {
        var frames = callStack.Select(f => f is PSObject p ? p.BaseObject : f).OfType<CallStackFrame>().ToList();
        for (var i = frames.Count - 1; i >= 0; i--)
        {
            var position = frames[i].Position;
            if (position is not null && string.IsNullOrEmpty(position.File) && position.StartScriptPosition.GetFullScript() == text)
                return position.StartOffset;
        }
        return -1;
    }

    private bool IsRunbookState(PSVariable variable)
    {
        var name = variable.Name;
        if (Automatic.Contains(name) || name.StartsWith(JobSessionState.EnginePrefix, StringComparison.OrdinalIgnoreCase)
            || (variable.Options & ScopedItemOptions.Constant) != 0)
            return false;
        if (!_session.BaselineNames.Contains(name))
            return true;
        // A variable every runspace has: keep it only if it is a preference the runbook changed.
        return JobSessionState.IsPreference(name) && (variable.Value?.ToString() ?? "") != _sink.StartingPreference(name);
    }
}
