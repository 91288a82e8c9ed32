using System.Collections;
using System.Management.Automation;

namespace Sma.Engine.Execution;

/// <summary>What a job's runspace can ask of its runner: save a checkpoint, restore one.</summary>
internal interface ICheckpointSink
{
    RunbookScript Script { get; }

    /// <summary>The preference values this job started with (its logging flags applied).</summary>
    string StartingPreference(string name);

    /// <summary>Saves the checkpoint; true when the job is now Suspended (the pipeline must stop).</summary>
    bool SaveCheckpoint(int statementIndex, Hashtable variables, string? location, bool suspend);

    /// <summary>The checkpoint this run resumes from: its variables and location.</summary>
    (IDictionary? Variables, string? Location) Resumed();
}

/// <summary>
/// The object behind <c>$__SmaJob</c> in a job's runspace, called by Checkpoint-Workflow, Suspend-Workflow and the
/// first statement of a resumed run. Public only so PowerShell can call it; not for runbooks to use.
/// </summary>
public sealed class JobContext
{
    // Variables PowerShell sets while running; never the runbook's own state.
    private static readonly HashSet<string> Automatic = new(StringComparer.OrdinalIgnoreCase)
    {
        "_", "PSItem", "args", "input", "MyInvocation", "PSBoundParameters", "PSCmdlet", "PSScriptRoot", "PSCommandPath",
        "LASTEXITCODE", "Matches", "foreach", "switch", "this", "sender", "EventArgs", "Event", "EventSubscriber",
        "StackTrace", "?", "^", "$", "Error", "PWD", "null", "true", "false", "PSDebugContext", "ExecutionContext",
        JobSessionState.ContextVariable,
    };

    private readonly ICheckpointSink _sink;
    private readonly JobSessionState _session;

    internal JobContext(ICheckpointSink sink, JobSessionState session)
    {
        _sink = sink;
        _session = session;
    }

    /// <summary>Checkpoint-Workflow (<paramref name="suspend"/> false) and Suspend-Workflow (true).</summary>
    public void Checkpoint(SessionState state, object[] variables, object[] callStack, bool suspend)
    {
        var values = new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (var item in variables)
        {
            if ((item is PSObject p ? p.BaseObject : item) is not PSVariable variable || !IsRunbookState(variable))
                continue;
            values[variable.Name] = variable.Value;
        }

        // The outermost frame is the runbook itself; its position lies in the top-level statement now running.
        var outermost = callStack.Select(f => f is PSObject p ? p.BaseObject : f).OfType<CallStackFrame>().LastOrDefault();
        var index = _sink.Script.ResumeIndexFor(outermost?.Position?.StartOffset ?? -1);
        var location = state.Path.CurrentFileSystemLocation?.ProviderPath;

        if (_sink.SaveCheckpoint(index, values, location, suspend))
            throw new PipelineStoppedException(); // suspended: nothing after this point runs until Resume-SmaJob
    }

    /// <summary>First statement of a resumed run: puts back the variables and location of the checkpoint.</summary>
    public void Restore(SessionState state)
    {
        var (variables, location) = _sink.Resumed();
        if (variables is not null)
        {
            foreach (DictionaryEntry entry in variables)
            {
                try
                {
                    state.PSVariable.Set(entry.Key.ToString()!, entry.Value);
                }
                catch (SessionStateUnauthorizedAccessException)
                {
                    // A read-only variable the replayed part of the runbook already set; it keeps that value.
                }
            }
        }
        if (location is not null && Directory.Exists(location))
            state.Path.SetLocation(WildcardPattern.Escape(location));
    }

    private bool IsRunbookState(PSVariable variable)
    {
        var name = variable.Name;
        if (Automatic.Contains(name) || (variable.Options & ScopedItemOptions.Constant) != 0)
            return false;
        if (!_session.BaselineNames.Contains(name))
            return true;
        // A variable every runspace has: keep it only if it is a preference the runbook changed.
        return JobSessionState.IsPreference(name) && (variable.Value?.ToString() ?? "") != _sink.StartingPreference(name);
    }
}
