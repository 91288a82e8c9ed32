using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Sma.Engine.Execution;

namespace Sma.Engine.Workflows;

/// <summary>
/// How the branches of one block start, taken on the job's thread when the block starts: copies of the workflow
/// variables visible there, the functions the runbook defined, the current location. Each branch runspace is made
/// from the job's InitialSessionState (Checkpoint-Workflow, asset activities and modules exist there too) and set up
/// from this, on the branch's own thread.
/// </summary>
internal sealed class BranchSetup
{
    // Set by PowerShell per scope or per command: never copied.
    private static readonly HashSet<string> Automatic = new(StringComparer.OrdinalIgnoreCase)
    {
        "_", "PSItem", "args", "input", "MyInvocation", "PSBoundParameters", "PSCmdlet", "PSScriptRoot", "PSCommandPath",
        "LASTEXITCODE", "Matches", "foreach", "switch", "this", "sender", "EventArgs", "Event", "EventSubscriber",
        "StackTrace", "?", "^", "$", "Error", "PWD", "null", "true", "false", "PSDebugContext", "ExecutionContext",
    };

    public BranchSetup(WorkflowJob job, WorkflowRuntime parent, IReadOnlyList<PSVariable> visible, IEnumerable<FunctionInfo> functions,
        string? location, string key)
    {
        Job = job;
        Key = key;
        Location = location;
        // Nested blocks share the outermost block's workflow variables: $Workflow: means the workflow's.
        Variables = parent.Variables ?? new WorkflowVariables(visible.Where(IsUserVariable));
        Copies = visible.Where(v => IsUserVariable(v) || IsChangedPreference(v)).Select(v => (v.Name, (object?)v.Value)).ToList();
        DefinitionScripts = ScriptText.DefinitionScripts(functions.Where(f => f.Module is null && !job.BaselineFunctions.Contains(f.Name)));
    }

    public WorkflowJob Job { get; }

    /// <summary>The block's ledger key; a branch's runtime path is Key/index.</summary>
    public string Key { get; }

    public string? Location { get; }
    public WorkflowVariables Variables { get; }
    public IReadOnlyList<(string Name, object? Value)> Copies { get; }
    public IReadOnlyList<string> DefinitionScripts { get; }

    /// <summary>
    /// The workflow's state for a checkpoint taken in a branch: the workflow variables as they are now ($Workflow:
    /// changes included) and the preferences the runbook had changed.
    /// </summary>
    public Hashtable WorkflowState()
    {
        var state = Variables.Snapshot();
        foreach (var (name, value) in Copies)
        {
            if (Job.Session.BaselineNames.Contains(name))
                state[name] = value;
        }
        return state;
    }

    /// <summary>
    /// Sets up a fresh branch runspace: the job's constant variables ($__SmaJob taking its checkpoints through
    /// <paramref name="checkpoints"/>), copies of the workflow variables (and the item), $__SmaWorkflowScope, the
    /// runbook's functions and the location. Runs on the branch's thread before its pipeline. Returns the branch's
    /// $__SmaSuspending, which the job sets when it suspends.
    /// </summary>
    public PSVariable Prepare(Runspace runspace, BranchWork work, int index, IBranchCheckpoints checkpoints)
    {
        var state = runspace.SessionStateProxy;
        var copies = new Dictionary<string, PSVariable>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in Copies)
        {
            if (Job.Session.BaselineNames.Contains(name))
            {
                state.SetVariable(name, value); // a preference the runbook set
                continue;
            }
            var copy = new PSVariable(name, value);
            state.PSVariable.Set(copy);
            copies[name] = copy;
        }
        if (work.ItemName is { } itemName)
        {
            var item = new PSVariable(itemName, work.Item);
            state.PSVariable.Set(item);
            copies[itemName] = item;
        }
        state.PSVariable.Set(new PSVariable(JobSessionState.ContextVariable, Job.JobContext.ForBranch(checkpoints), ScopedItemOptions.Constant));
        state.PSVariable.Set(new PSVariable(WorkflowRuntime.ScopeVariable, new WorkflowScope(Variables, copies), ScopedItemOptions.Constant));
        Job.Install(state, new WorkflowRuntime(Job, Variables, $"{Key}/{index}"));
        Job.Attach(runspace);

        // The location was set when the runspace was opened (RunspaceSupply.Open).
        foreach (var script in DefinitionScripts)
        {
            using var ps = PowerShell.Create();
            ps.Runspace = runspace;
            ps.AddScript(script).Invoke();
        }
        return state.PSVariable.Get(JobSessionState.SuspendingVariable);
    }

    private bool IsUserVariable(PSVariable variable) =>
        !Automatic.Contains(variable.Name)
        && !variable.Name.StartsWith("__Sma", StringComparison.OrdinalIgnoreCase)
        && (variable.Options & ScopedItemOptions.Constant) == 0
        && !Job.Session.BaselineNames.Contains(variable.Name);

    private bool IsChangedPreference(PSVariable variable) =>
        Job.Session.BaselineNames.Contains(variable.Name) && JobSessionState.IsPreference(variable.Name)
        && (variable.Options & (ScopedItemOptions.Constant | ScopedItemOptions.ReadOnly)) == 0;
}
