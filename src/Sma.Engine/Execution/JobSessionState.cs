using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace Sma.Engine.Execution;

/// <summary>
/// The InitialSessionState every job runspace is made from: the factory's, plus Checkpoint-Workflow,
/// Suspend-Workflow and the commands translated workflows call. Built once per runtime, together with the baseline of variables a fresh runspace has, which a
/// checkpoint leaves out (only the runbook's own variables, and preferences it changed, are saved).
/// </summary>
internal sealed class JobSessionState
{
    /// <summary>Every variable the engine puts in a job's runspace starts so; checkpoints leave them out.</summary>
    public const string EnginePrefix = "__Sma";

    /// <summary>The variable through which the two commands reach their job (<see cref="JobContext"/>).</summary>
    public const string ContextVariable = "__SmaJob";

    /// <summary>The <see cref="Resume.PathTracker"/> the rewritten runbook text calls.</summary>
    public const string PathVariable = "__SmaPath";

    /// <summary>Set while a resumed run skips to its checkpoint's statement; null otherwise.</summary>
    public const string ResumeVariable = "__SmaResume";

    /// <summary>Set once the job suspended: finally blocks and traps of the runbook then do not run (they run after the resume).</summary>
    public const string SuspendingVariable = "__SmaSuspending";

    // -SmaSite: the rewriter passes a Checkpoint-Workflow statement's site; called from anywhere else (a function,
    // a script block), the runbook's frame on the call stack says where the checkpoint stands.
    private const string Parameters = "[CmdletBinding()] param([Parameter(DontShow)] [int] $SmaSite = -1)";
    private const string Capture = "@(Get-Variable -Scope Global), $SmaSite, @(if ($SmaSite -lt 0) { Get-PSCallStack })";

    private static readonly string[] Functions =
    {
        "Checkpoint-Workflow",
        $"<# Saves the job's state; on resume the job continues right after this statement. #>\n{Parameters}\n${ContextVariable}.Checkpoint($ExecutionContext.SessionState, {Capture}, $false)",
        "Suspend-Workflow",
        $"<# Saves the job's state and suspends the job; Resume-SmaJob continues right after this statement. #>\n{Parameters}\n${ContextVariable}.Checkpoint($ExecutionContext.SessionState, {Capture}, $true)",
    };

    public JobSessionState(ISessionStateFactory factory)
    {
        var iss = factory.Create().Clone();
        for (var i = 0; i < Functions.Length; i += 2)
            iss.Commands.Add(new SessionStateFunctionEntry(Functions[i], Functions[i + 1]));
        // The flags the rewritten runbook text reads, so they exist (under Set-StrictMode too) in every runspace made
        // from this state, e.g. those running parallel branches; a job's runner sets its own.
        iss.Variables.Add(new SessionStateVariableEntry(ResumeVariable, null, "Set while a resumed job skips to its checkpoint."));
        iss.Variables.Add(new SessionStateVariableEntry(SuspendingVariable, false, "Set once the job suspended."));
        Workflows.WorkflowCommands.AddTo(iss); // what translated workflows call (DESIGN §11)
        State = iss;
        (BaselineNames, BaselinePreferences) = ReadBaseline(iss);
    }

    public InitialSessionState State { get; }

    /// <summary>
    /// Commands that checkpoint from other threads (<see cref="JobContext.CheckpointWith"/>); a statement calling
    /// one (directly or through a function of the runbook) marks itself before it runs.
    /// </summary>
    public IReadOnlySet<string> HelperCommands { get; private set; } = RunbookScript.DefaultHelperCommands;

    /// <summary>Adds helper command names for the jobs started from now on.</summary>
    public void AddHelperCommands(params string[] names)
    {
        lock (Functions)
            HelperCommands = new HashSet<string>(HelperCommands.Concat(names), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Variables every fresh job runspace has.</summary>
    public IReadOnlySet<string> BaselineNames { get; }

    /// <summary>Preference variables and their values in a fresh runspace (before a job's logging flags).</summary>
    public IReadOnlyDictionary<string, string> BaselinePreferences { get; }

    /// <summary>Preference-like variables: saved in a checkpoint only when the runbook changed them.</summary>
    public static bool IsPreference(string name) =>
        name.EndsWith("Preference", StringComparison.OrdinalIgnoreCase)
        || name is "ErrorView" or "FormatEnumerationLimit" or "OFS" or "PSDefaultParameterValues" or "MaximumHistoryCount";

    private static (IReadOnlySet<string>, IReadOnlyDictionary<string, string>) ReadBaseline(InitialSessionState iss)
    {
        using var runspace = RunspaceFactory.CreateRunspace(iss);
        runspace.Open();
        using var ps = PowerShell.Create();
        ps.Runspace = runspace;
        var variables = ps.AddCommand("Get-Variable").AddParameter("Scope", "Global").Invoke<PSVariable>();
        var names = new HashSet<string>(variables.Select(v => v.Name), StringComparer.OrdinalIgnoreCase);
        var preferences = variables.Where(v => IsPreference(v.Name))
            .ToDictionary(v => v.Name, v => v.Value?.ToString() ?? "", StringComparer.OrdinalIgnoreCase);
        return (names, preferences);
    }
}
