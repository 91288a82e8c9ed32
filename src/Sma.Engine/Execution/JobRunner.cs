using System.Collections;
using System.Globalization;
using System.Management.Automation;
using Sma.Engine.Execution.Resume;
using System.Management.Automation.Runspaces;
using Sma.Engine.Children;
using Sma.Engine.Model;
using Sma.Engine.States;
using Sma.Engine.Store;

namespace Sma.Engine.Execution;

/// <summary>
/// Runs one claimed job in a fresh runspace — from the start, or from its last checkpoint when resuming: open,
/// bind the stored parameters, record every stream as it is written, save checkpoints, and report the outcome
/// through the transition table. Never reused.
/// </summary>
internal sealed class JobRunner : ICheckpointSink
{
    private const int OutputDepth = 1; // what Start-Job/Receive-Job keep of an output object
    private const int CheckpointDepth = 4;

    private readonly JobWork _work;
    private readonly WorkerContext _context;
    private readonly JobRecorder _recorder;
    private readonly JobAssets _assets;
    // Continuations run where the job closes: the worker's own is short (it frees the slot and wakes its loop).
    private readonly TaskCompletionSource _done = new();
    private readonly object _lock = new();
    private readonly bool _resuming;
    private JobHost? _host;
    private Runspace? _runspace;
    private PowerShell? _pipeline;
    private bool _stopRequested;
    private volatile bool _abandoned;
    private volatile bool _suspended;
    private Exception? _promptRefused;
    private PSVariable? _suspending; // the runspace's own $__SmaSuspending
    private string? _preparedLocation;

    public JobRunner(JobWork work, WorkerContext context)
    {
        _work = work;
        _context = context;
        _resuming = work.ClaimedFrom == JobStatus.Resuming;
        _recorder = new JobRecorder(work.JobId, work.LastStreamId, context.Writer);
        _assets = new JobAssets(work.JobId, context, _resuming, work.ModulesGeneration);
        _recorder.Secrets = _assets.Secrets;
    }

    /// <summary>
    /// The text to run (a Workflow runbook's translation, rewritten like any script): from the start, or rewritten to
    /// go back to the checkpoint's place. Calls to the job's inline child runbooks may checkpoint, like calls to the
    /// runbook's own functions.
    /// </summary>
    private RunbookScript BuildScript()
    {
        var children = _work.Children.Count == 0
            ? null
            : new HashSet<string>(_work.Children.Select(c => c.RunbookName), StringComparer.OrdinalIgnoreCase);
        return _resuming && _work.Checkpoint is { } checkpoint
            ? RunbookScript.ForResume(_work.Source, PointOf(checkpoint), _context.Session.HelperCommands, children)
            : RunbookScript.ForStart(_work.Source, _context.Session.HelperCommands, children);
    }

    /// <summary>Where a checkpoint resumes; one saved before resume paths existed resumes at its top-level statement.</summary>
    private static ResumePoint PointOf(CheckpointData checkpoint) =>
        checkpoint.ResumePath is { } json ? ResumePoint.FromJson(json) : ResumePoint.Legacy(checkpoint.StatementIndex);

    public Guid JobId => _work.JobId;

    public RunbookType RunbookType => _work.RunbookType;

    /// <summary>When a stop was first asked for (the worker abandons the job if it does not stop in time).</summary>
    public DateTime? StopRequestedAt { get; private set; }

    /// <summary>Set when the run begins (a checkpoint that cannot be followed fails the resume, as a start failure).</summary>
    public RunbookScript Script { get; private set; } = null!;

    /// <summary>Completes when the job's last change has been handed to the writer and its runspace is closed.</summary>
    public Task Completion => _done.Task;

    /// <summary>Runs the job start to end on the calling thread (one of the worker's job threads).</summary>
    public void Run()
    {
        try
        {
            RunCore();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Never lose a job to an unexpected engine error: report it as the job's failure.
            Finish(_resuming ? JobTrigger.ResumeFailed : JobTrigger.ScriptFailed, new TransitionChange
            {
                Details = $"The engine failed while running the job: {OneLine(e.Message)}",
                Exception = e.ToString(),
            });
        }
    }

    private void RunCore()
    {
        IDictionary<string, object?> parameters;
        try
        {
            using (PhaseProfile.Measure("job.script"))
                Script = BuildScript();
            parameters = DecodeParameters();
            PreparedRunspace prepared;
            using (PhaseProfile.Measure("job.take"))
                prepared = _context.Runspaces.Take();
            (_host, _runspace) = (prepared.Host, prepared.Runspace);
            _preparedLocation = prepared.Location;
            _host.PromptRefused = error =>
            {
                _promptRefused ??= error;
                RequestStop();
            };
            using (PhaseProfile.Measure("job.configure"))
            {
                Configure(_runspace);
                ChildRunbookFunctions.Define(_runspace, _work.Children, _context.Store);
            }
        }
        catch (Exception e)
        {
            _context.Runspaces.Replenish();
            Finish(_resuming ? JobTrigger.ResumeFailed : JobTrigger.StartFailed, new TransitionChange
            {
                Details = $"The runbook could not {(_resuming ? "resume" : "start")}: {OneLine(e.Message)}",
                Exception = e.ToString(),
            });
            return;
        }

        // Not awaited: the pipeline starts while the change commits. A stop that arrived meanwhile makes the
        // change fail and reaches this runner as a stop request; the last change then ends the job Stopped.
        // Stamped now, before the pipeline writes anything: every record of this run comes after it in the history.
        var started = PhaseProfile.Measure("job.started+invoke");
        _context.Writer.Transition(JobId, _resuming ? JobTrigger.Resumed : JobTrigger.ScriptStarted,
            new TransitionChange
            {
                Worker = _context.WorkerName,
                Details = _resuming ? ResumeDetails() : null,
                Time = _context.Writer.Now(), // the store's clock, as every other time of the job
                Holder = _context.Incarnation,
            }, result =>
            {
                if (!result.Applied)
                    RequestStop();
            });
        _context.Runspaces.Replenish(); // the job's start is stamped: the pool may use the cores now

        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript(Script.Text);
        foreach (var (name, value) in parameters)
            ps.AddParameter(name, value);
        AttachStreams(ps);
        var output = new RecordingList<PSObject>(RecordOutput);
        lock (_lock)
        {
            // A stop request is then either seen here or lands on the pipeline once it is set.
            if (_stopRequested)
            {
                Finish(JobTrigger.PipelineStopped, new TransitionChange { Details = "The job was stopped." });
                return;
            }
            _pipeline = ps;
        }
        try
        {
            ps.Invoke(Array.Empty<object>(), output);
        }
        catch (Exception e) when (e is RuntimeException or InvalidOperationException)
        {
            // The outcome is read from the invocation state below.
        }
        started.Dispose();
        using (PhaseProfile.Measure("job.ended"))
            OnPipelineEnded(ps);
    }

    /// <summary>Asks the pipeline to stop (Stop-SmaJob); the job then ends Stopped.</summary>
    public void RequestStop()
    {
        lock (_lock)
        {
            if (_stopRequested)
                return;
            _stopRequested = true;
            StopRequestedAt = DateTime.UtcNow;
            if (_pipeline is { } pipeline)
                StopInBackground(pipeline);
        }
    }

    /// <summary>
    /// PowerShell's BeginStop waits for the pipeline on a foreground thread of its own, so a pipeline blocked in .NET
    /// code would keep the process from ever exiting. A background thread may wait forever without that.
    /// </summary>
    private static void StopInBackground(PowerShell pipeline) =>
        new Thread(() =>
        {
            try
            {
                pipeline.Stop();
            }
            catch (Exception)
            {
                // Already ended or disposed: nothing left to stop.
            }
        }) { IsBackground = true, Name = "Sma job stop" }.Start();

    /// <summary>
    /// The job is no longer ours (recovery gave it to another worker while this one was thought lost, or this
    /// worker is exiting and settled it): stop the pipeline and write nothing more for it.
    /// </summary>
    public void Abandon()
    {
        _abandoned = true;
        _recorder.Seal();
        RequestStop();
    }

    /// <summary>
    /// The pipeline did not stop within <paramref name="bound"/> of the request (blocked in .NET code): end the job
    /// (Stopped, or Failed if it was not being stopped by a user) saying its thread was abandoned, and free this
    /// worker's slot. The thread stays blocked in the background; its runspace is left to it, since disposing a
    /// runspace waits for its pipeline.
    /// </summary>
    public void AbandonStuck(JobStatus current, TimeSpan bound)
    {
        if (!_abandoned)
        {
            _abandoned = true;
            _recorder.Seal();
            _context.Writer.TransitionAsync(JobId, current == JobStatus.Stopping ? JobTrigger.StopAbandoned : JobTrigger.ScriptFailed,
                new TransitionChange
                {
                    Details = $"The job did not stop within {bound.TotalSeconds:0} s of the request, so its thread was abandoned " +
                              "(it stays blocked in the background until the process exits).",
                    ErrorCount = _recorder.ErrorCount,
                    WarningCount = _recorder.WarningCount,
                    Holder = _context.Incarnation,
                });
        }
        _done.TrySetResult();
    }

    public string StartingPreference(string name) => name switch
    {
        _ when name.Equals("VerbosePreference", StringComparison.OrdinalIgnoreCase) && _work.LogVerbose => nameof(ActionPreference.Continue),
        _ when name.Equals("DebugPreference", StringComparison.OrdinalIgnoreCase) && _work.LogDebug => nameof(ActionPreference.Continue),
        _ when name.Equals("ProgressPreference", StringComparison.OrdinalIgnoreCase) =>
            _work.LogProgress ? nameof(ActionPreference.Continue) : nameof(ActionPreference.SilentlyContinue),
        _ => _context.Session.BaselinePreferences.TryGetValue(name, out var value) ? value : "",
    };

    public bool SaveCheckpoint(CheckpointState state, bool suspend)
    {
        var (xml, secret) = Encode(state.Variables);
        // Beside the variables: the walked loops' remaining elements (by path step) and the resume-state values.
        var (stateXml, stateSecret) = state.Loops.Count == 0 && state.ResumeState.Count == 0
            ? (null, null)
            : Encode(new Hashtable
            {
                ["Loops"] = new Hashtable(state.Loops.ToDictionary(l => (object)l.Key.ToString(CultureInfo.InvariantCulture), l => (object?)l.Value)),
                ["ResumeState"] = new Hashtable(state.ResumeState.ToDictionary(v => (object)v.Key, v => v.Value)),
            });
        var data = new CheckpointData(state.Point.TopIndex, _recorder.LastStreamId, state.Location, xml, secret,
            state.Point.ToJson(), stateXml, stateSecret);
        var saved = new TaskCompletionSource<JobStatus?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _context.Writer.Enqueue(new SaveCheckpointOp(JobId, data, suspend, saved.SetResult));
        // Block the runbook until the checkpoint (and every record before it) is committed.
        return saved.Task.GetAwaiter().GetResult() == JobStatus.Suspended;
    }

    /// <summary>Checkpoint values as CliXml; encrypted when they hold a value an asset activity handed out.</summary>
    private (string? Xml, byte[]? Secret) Encode(Hashtable value)
    {
        var (xml, secret) = FastCliXml.TryWrite(value, CheckpointDepth, out var fast) ? (fast, null) : _context.Codec.Encode(value, CheckpointDepth);
        return _assets.Secrets.Protect(xml, secret);
    }

    public RestoredState? Resumed()
    {
        if (_work.Checkpoint is not { } checkpoint || Script.Resume is null)
            return null;
        var variables = Unwrap(_context.Codec.Decode(checkpoint.VariablesXml, checkpoint.Secret)) as IDictionary;
        var loops = new Dictionary<int, IList<object?>>();
        var resumeState = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (Unwrap(_context.Codec.Decode(checkpoint.StateXml, checkpoint.StateSecret)) is IDictionary state)
        {
            if (Unwrap(state["Loops"]) is IDictionary kept)
                foreach (DictionaryEntry entry in kept)
                    loops[int.Parse(entry.Key.ToString()!, CultureInfo.InvariantCulture)] = Elements(entry.Value);
            if (Unwrap(state["ResumeState"]) is IDictionary values)
                foreach (DictionaryEntry entry in values)
                    resumeState[entry.Key.ToString()!] = entry.Value is PSObject { BaseObject: not PSCustomObject } p ? p.BaseObject : entry.Value;
        }
        return new RestoredState(variables, checkpoint.Location, loops, resumeState);

        static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
        static IList<object?> Elements(object? value) => Unwrap(value) is IEnumerable items and not string
            ? items.Cast<object?>().ToList()
            : new List<object?> { value };
    }

    public bool Suspended => _suspended;

    public void StopSuspended()
    {
        _suspended = true;
        if (_suspending is not null)
            _suspending.Value = true; // the runbook's finally blocks and traps stand aside (see RunbookRewriter)
        lock (_lock)
        {
            if (_pipeline is { } pipeline)
                StopInBackground(pipeline);
        }
    }

    private string ResumeDetails()
    {
        if (_work.Checkpoint is not { } checkpoint)
            return "Resumed from the beginning (the job has no checkpoint).";
        if (Script.Resume is not { } point)
            return checkpoint.ResumePath is null
                ? "Resumed from the beginning: the runbook has begin/process/end blocks and its checkpoint was saved by an earlier version."
                : "Resumed from the beginning: the checkpoint does not fit the runbook's source.";
        return $"Resumed {Script.Describe(point)}.";
    }

    private IDictionary<string, object?> DecodeParameters()
    {
        var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in _work.Parameters)
            values[p.Name] = _context.Codec.Decode(p.ValueXml, p.Secret);
        return values;
    }

    private void Configure(Runspace runspace)
    {
        var state = runspace.SessionStateProxy;
        if (_work.WorkingDirectory is { } dir && dir != _preparedLocation && Directory.Exists(dir))
            state.Path.SetLocation(WildcardPattern.Escape(dir));
        if (_work.LogVerbose)
            state.SetVariable("VerbosePreference", ActionPreference.Continue);
        if (_work.LogDebug)
            state.SetVariable("DebugPreference", ActionPreference.Continue);
        state.SetVariable("ProgressPreference", _work.LogProgress ? ActionPreference.Continue : ActionPreference.SilentlyContinue);
        var path = new PathTracker(Script.LoopCount);
        var jobContext = new JobContext(this, _context.Session, path);
        state.PSVariable.Set(new PSVariable(JobSessionState.ContextVariable, jobContext, ScopedItemOptions.Constant));
        state.PSVariable.Set(new PSVariable(JobSessionState.PathVariable, path, ScopedItemOptions.Constant));
        state.PSVariable.Set(JobSessionState.ResumeVariable, null);
        state.PSVariable.Set(JobSessionState.SuspendingVariable, false);
        _suspending = state.PSVariable.Get(JobSessionState.SuspendingVariable); // set from any thread when suspending
        _assets.Attach(runspace);
        // $WorkflowCommandName, $PSPrivateMetadata and what translated workflows call (parallel branches, ...).
        var workflow = new Workflows.WorkflowJob(_context.Session, JobId, _work.RunbookName, jobContext, _host!, RecordLate, _assets.Attach);
        workflow.Install(state, new Workflows.WorkflowRuntime(workflow, null, ""));
    }

    private void AttachStreams(PowerShell ps)
    {
        var streams = ps.Streams;
        streams.Error = RecordingCollection.Create<ErrorRecord>(e =>
        {
            Script.ToSourcePosition(e); // the runbook's own line and column, not the rewritten text's
            _recorder.Add(StreamType.Error, StreamText.Of(e));
        });
        streams.Warning = RecordingCollection.Create<WarningRecord>(w => _recorder.Add(StreamType.Warning, w.Message));
        streams.Information = RecordingCollection.Create<InformationRecord>(i =>
            _recorder.Add(StreamType.Information, StreamText.Of(i.MessageData)));
        streams.Verbose = RecordingCollection.Create<VerboseRecord>(v =>
        {
            if (_work.LogVerbose) _recorder.Add(StreamType.Verbose, v.Message);
        });
        streams.Debug = RecordingCollection.Create<DebugRecord>(d =>
        {
            if (_work.LogDebug) _recorder.Add(StreamType.Debug, d.Message);
        });
        streams.Progress = RecordingCollection.Create<ProgressRecord>(p =>
        {
            if (_work.LogProgress) _recorder.Add(StreamType.Progress, StreamText.Of(p));
        });
    }

    /// <summary>
    /// Records what a parallel branch wrote that the job's pipeline can no longer write (the job was stopped while
    /// the branch's records were on their way): nothing a job wrote is lost.
    /// </summary>
    private void RecordLate(object record)
    {
        if (_abandoned)
            return;
        switch (record)
        {
            case ErrorRecord e:
                Script.ToSourcePosition(e);
                _recorder.Add(StreamType.Error, StreamText.Of(e));
                break;
            case WarningRecord w: _recorder.Add(StreamType.Warning, w.Message); break;
            case VerboseRecord v when _work.LogVerbose: _recorder.Add(StreamType.Verbose, v.Message); break;
            case DebugRecord d when _work.LogDebug: _recorder.Add(StreamType.Debug, d.Message); break;
            case InformationRecord i: _recorder.Add(StreamType.Information, StreamText.Of(i.MessageData)); break;
            case ProgressRecord p when _work.LogProgress: _recorder.Add(StreamType.Progress, StreamText.Of(p)); break;
            case PSObject o: RecordOutput(o); break;
        }
    }

    private void RecordOutput(PSObject? value)
    {
        if (_abandoned)
            return;
        if (value is null)
        {
            // '$null' written to the output (a function returning $null, @($null, 1)): a record with no value.
            _recorder.Add(StreamType.Output, "", _context.Codec.Encode(null, OutputDepth).Xml);
            return;
        }
        if (FastCliXml.TryWriteOutput(value, OutputDepth, out var fastXml, out var text))
        {
            _recorder.Add(StreamType.Output, text, fastXml);
            return;
        }
        var (xml, secret) = _context.Codec.Encode(value, OutputDepth);
        _recorder.Add(StreamType.Output, StreamText.Of(value), xml, secret);
    }

    private void OnPipelineEnded(PowerShell ps)
    {
        var state = ps.InvocationStateInfo;
        if (_abandoned || _suspended)
        {
            // Suspended: the checkpoint's transaction already moved the job. Abandoned: it is another worker's now.
            Close();
            return;
        }

        JobTrigger trigger;
        var change = new TransitionChange();
        if (_promptRefused is { } prompt)
        {
            // Prompts end the job even if the runbook caught the error: nobody will ever answer.
            trigger = JobTrigger.ScriptFailed;
            change = change with { Details = OneLine(prompt.Message), Exception = prompt.ToString() };
        }
        else if (state.State == PSInvocationState.Stopped)
        {
            trigger = JobTrigger.PipelineStopped;
            change = change with { Details = "The job was stopped." };
        }
        else if (state.State == PSInvocationState.Failed)
        {
            Script.ToSourcePosition((state.Reason as IContainsErrorRecord)?.ErrorRecord);
            var failure = JobFailure.From(state.Reason);
            // A Workflow runbook is resumable after a terminating error: it suspends at its last checkpoint.
            trigger = _work.RunbookType == RunbookType.Workflow ? JobTrigger.SuspendedByRunbook : JobTrigger.ScriptFailed;
            change = change with
            {
                Details = trigger == JobTrigger.SuspendedByRunbook
                    ? $"Suspended after a terminating error: {failure.Summary} Fix the cause, then Resume-SmaJob."
                    : failure.Summary,
                Exception = failure.Detail,
            };
        }
        else if (_host!.ExitCode is { } code and not 0)
        {
            trigger = JobTrigger.ScriptFailed;
            change = change with { Details = $"The runbook exited with code {code}." };
        }
        else
        {
            trigger = JobTrigger.ScriptCompleted;
        }
        Finish(trigger, change);
    }

    /// <summary>
    /// Hands the job's last change to the writer, after its records, and closes the runspace; a stop that won the
    /// race ends the job Stopped. Does not wait for the commit: the thread is free for the next job.
    /// </summary>
    private void Finish(JobTrigger trigger, TransitionChange change)
    {
        try
        {
            if (_abandoned)
                return;
            change = _assets.Secrets.Protect(change) with { ErrorCount = _recorder.ErrorCount, WarningCount = _recorder.WarningCount, Holder = _context.Incarnation };
            _context.Writer.Transition(JobId, trigger, change, result =>
            {
                if (result is { Applied: false, Current: JobStatus.Stopping } && trigger != JobTrigger.PipelineStopped)
                    _context.Writer.Transition(JobId, JobTrigger.PipelineStopped,
                        change with { Details = "The job was stopped.", Exception = null }, _ => _context.JobAtRest());
                else
                    _context.JobAtRest();
            });
        }
        finally
        {
            Close();
        }
    }

    private void Close()
    {
        using (PhaseProfile.Measure("job.close"))
            _runspace?.Dispose();
        _done.TrySetResult();
    }

    internal static string OneLine(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= 400 ? line : line[..397] + "...";
    }
}
