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
    /// <summary>The variable through which the two commands reach their job.</summary>
    public const string ContextVariable = "__SmaJob";

    private const string Capture = "@(Get-Variable -Scope Global), @(Get-PSCallStack)";

    private static readonly string[] Functions =
    {
        "Checkpoint-Workflow",
        $"<# Saves the job's state; on resume the job continues from here. #>\n[CmdletBinding()] param()\n${ContextVariable}.Checkpoint($ExecutionContext.SessionState, {Capture}, $false)",
        "Suspend-Workflow",
        $"<# Saves the job's state and suspends the job; Resume-SmaJob continues from here. #>\n[CmdletBinding()] param()\n${ContextVariable}.Checkpoint($ExecutionContext.SessionState, {Capture}, $true)",
    };

    public JobSessionState(ISessionStateFactory factory)
    {
        var iss = factory.Create().Clone();
        for (var i = 0; i < Functions.Length; i += 2)
            iss.Commands.Add(new SessionStateFunctionEntry(Functions[i], Functions[i + 1]));
        Workflows.WorkflowCommands.AddTo(iss); // what translated workflows call (DESIGN §11)
        State = iss;
        (BaselineNames, BaselinePreferences) = ReadBaseline(iss);
    }

    public InitialSessionState State { get; }

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
