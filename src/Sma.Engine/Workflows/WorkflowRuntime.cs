using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace Sma.Engine.Workflows;

/// <summary>
/// <c>$__SmaWorkflow</c> in a job runspace and in each branch runspace: what the translated workflow calls (through the
/// commands of <see cref="WorkflowCommands"/>) to run parallel branches, foreach -parallel items and timed activities,
/// and to define functions up front. Public only so PowerShell can call it; not for runbooks to use.
/// </summary>
public sealed class WorkflowRuntime
{
    /// <summary>The variable holding the runtime in each runspace of a job.</summary>
    public const string Variable = "__SmaWorkflow";

    /// <summary>The variable holding <see cref="WorkflowScope"/> ($Workflow:) in a branch runspace.</summary>
    public const string ScopeVariable = "__SmaWorkflowScope";

    /// <summary>Without -ThrottleLimit, at most this many items of a foreach -parallel run at once.</summary>
    public const int DefaultThrottleLimit = 64;

    private readonly Dictionary<string, ScriptBlockAst> _parsed = new(StringComparer.Ordinal);

    internal WorkflowRuntime(WorkflowJob job, WorkflowVariables? variables, string path)
    {
        Job = job;
        Variables = variables;
        Path = path;
    }

    internal WorkflowJob Job { get; }

    /// <summary>In a branch: the workflow variables of the outermost block ($Workflow:); null in the job runspace.</summary>
    internal WorkflowVariables? Variables { get; }

    /// <summary>Where this runspace stands among nested blocks and items, for the ledger's keys ("" in the job runspace).</summary>
    internal string Path { get; }

    /// <summary>The completed branches and items of the blocks now running (see <see cref="ParallelLedger"/>).</summary>
    public ParallelLedger Ledger => Job.Ledger;

    /// <summary>Parallel { }: each script block a branch, all at once.</summary>
    public ParallelRun Parallel(object[] variables, object[] functions, string? location, object[] branches)
    {
        var work = branches.Select(Unwrap).OfType<ScriptBlock>().Select(b => new BranchWork(new BranchCode(b), null, null)).ToList();
        var key = work.Count > 0 ? BlockKey(work[0].Code) : Path + "/empty";
        return Start(variables, functions, location, work, work.Count, null, key);
    }

    /// <summary>foreach -parallel ($name in $items) { body }: the body once per item, at most <paramref name="throttleLimit"/> at once.</summary>
    public ParallelRun ForEach(object[] variables, object[] functions, string? location, string name, object? items, object? throttleLimit, ScriptBlock body)
    {
        var list = new List<object?>();
        var enumerable = LanguagePrimitives.GetEnumerable(Unwrap(items));
        if (enumerable is not null)
        {
            foreach (var item in enumerable)
                list.Add(item);
        }
        else if (Unwrap(items) is { } single)
        {
            list.Add(single);
        }
        var throttle = Unwrap(throttleLimit) is null ? DefaultThrottleLimit : Math.Max(1, LanguagePrimitives.ConvertTo<int>(throttleLimit));
        var code = new BranchCode(body);
        var key = BlockKey(code);
        // Run again after a resume, the block walks the items it had when the checkpoint was taken, so the completed
        // ones it skips are the same items.
        var work = Ledger.Items(key, list).Select(item => new BranchWork(code, name, item)).ToList();
        return Start(variables, functions, location, work, throttle, null, key);
    }

    /// <summary>An activity with -PSActionRunningTimeoutSec/-PSElapsedTimeoutSec: run in a runspace of its own, stopped when time is up.</summary>
    public ParallelRun Timed(object[] variables, object[] functions, string? location, ScriptBlock activity, double seconds)
    {
        var code = new BranchCode(activity);
        var work = new List<BranchWork> { new(code, null, null) };
        return Start(variables, functions, location, work, 1, TimeSpan.FromSeconds(seconds), BlockKey(code));
    }

    private ParallelRun Start(object[] variables, object[] functions, string? location, List<BranchWork> work, int throttle, TimeSpan? timeout,
        string key)
    {
        var visible = variables.Select(Unwrap).OfType<PSVariable>().ToList();
        var functionInfos = functions.Select(Unwrap).OfType<FunctionInfo>().ToList();
        var setup = new BranchSetup(Job, this, visible, functionInfos, location, key);
        return new ParallelRun(setup, work, throttle, timeout, ownsVariables: Variables is null);
    }

    /// <summary>
    /// The ledger key of a block: its place in the nesting, where it stands in the runbook's source — the same on a
    /// resumed run, whose text differs from the first run's (elsewhere, e.g. in an inline child runbook, its line and
    /// column in that text) — and which of its starts within the job's statement this is.
    /// </summary>
    private string BlockKey(BranchCode code)
    {
        var position = code.Anchor;
        var place = $"{Path}/{Job.JobContext.SourcePlace(position) ?? $"~{position.StartLineNumber}:{position.StartColumnNumber}"}";
        return $"{place}#{Job.Starts(place)}";
    }

    /// <summary>
    /// Defines, in the caller's scope, every function that is a statement of the script or function body around
    /// <paramref name="anchor"/> — before its statements run, as Workflow compiled them (so a workflow may call a
    /// function defined further down). Positions stay those of the original text.
    /// </summary>
    public void DefineFunctions(SessionState state, ScriptBlock anchor)
    {
        var (text, start, end) = ScriptText.Locate(anchor.Ast);
        if (!_parsed.TryGetValue(text, out var root))
            _parsed[text] = root = Parser.ParseInput(text, out _, out _);
        var literal = root.Find(a => a is ScriptBlockExpressionAst e && e.Extent.StartOffset == start && e.Extent.EndOffset == end, true);
        if (literal is null)
            return;
        var body = WorkflowCode.EnclosingScriptBlock(literal);
        var definitions = body?.EndBlock?.Statements.OfType<FunctionDefinitionAst>().Select(f => (f.Extent.StartOffset, f.Extent.EndOffset)).ToList();
        if (definitions is null || definitions.Count == 0)
            return;
        var script = ScriptBlock.Create(ScriptText.Masked(text, definitions));
        state.InvokeCommand.InvokeScript(false, script, null);
    }

    /// <summary>The commands a workflow activity named for parameters that the command has (the rest are dropped).</summary>
    public Hashtable ActivityArguments(CommandInfo? command, Hashtable parameters)
    {
        var kept = new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in parameters)
        {
            var name = entry.Key.ToString()!;
            if (command?.Parameters?.ContainsKey(name) == true)
                kept[name] = entry.Value;
        }
        return kept;
    }

    /// <summary>The error for an activity whose -PSComputerName this worker cannot reach.</summary>
    public ErrorRecord RemotingUnavailable(string activity, int line, string[] computers, string reason) =>
        Record(SmaErrors.WorkflowRemotingUnavailable(activity, line, string.Join(", ", computers), reason));

    /// <summary>The error for an activity that ran past its timeout.</summary>
    public ErrorRecord TimedOut(string activity, int line, double seconds) =>
        Record(SmaErrors.WorkflowActivityTimedOut(activity, line, seconds));

    private static ErrorRecord Record(SmaException e) => new(e, e.ErrorId, e.Category, e.Target);

    internal static object? Unwrap(object? value) => value is PSObject p && p.BaseObject is not PSCustomObject ? p.BaseObject : value;
}
