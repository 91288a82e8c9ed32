using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace Sma.Engine.Execution;

/// <summary>
/// The module's own cmdlets inside jobs: SMA runbooks call Start-SmaRunbook, Get-SmaJob, Get-SmaJobOutput, ... without
/// importing anything. The module registers its cmdlet types on import (the engine knows them only as types); every
/// job runspace gets them as plain cmdlet entries — no module import per runspace — and a constant variable linking
/// it to the runtime of the job's store, which the cmdlets use for a local (or omitted) endpoint.
/// </summary>
public static class JobCmdlets
{
    /// <summary>The variable through which the cmdlets, called inside a job, find the job's runtime.</summary>
    public const string RuntimeVariable = "__SmaRuntime";

    private static volatile (string Name, Type Type)[] _cmdlets = Array.Empty<(string, Type)>();
    private static volatile string? _helpFile;

    /// <summary>
    /// Called by the module on import: the cmdlets every job runspace made from now on has, with the name of their
    /// help file (found beside the implementing assembly, or in its culture folder).
    /// </summary>
    public static void Register(IEnumerable<(string Name, Type Type)> cmdlets, string? helpFile)
    {
        _helpFile = helpFile;
        _cmdlets = cmdlets.ToArray();
    }

    /// <summary>Adds the registered cmdlets and the link to <paramref name="runtime"/> to a runtime's job session state.</summary>
    internal static JobSessionState AddTo(JobSessionState session, SmaRuntime runtime)
    {
        var state = session.State;
        foreach (var (name, type) in _cmdlets)
            state.Commands.Add(new SessionStateCmdletEntry(name, type, _helpFile));
        // Constant: a runbook cannot point the cmdlets elsewhere, and checkpoints leave constants out.
        state.Variables.Add(new SessionStateVariableEntry(
            RuntimeVariable, new JobRuntimeLink(runtime), "The Sma store of this job.", ScopedItemOptions.Constant));
        return session;
    }

    /// <summary>The runtime of the job whose runspace <paramref name="state"/> belongs to; null outside a job.</summary>
    public static SmaRuntime? RuntimeOf(SessionState state) =>
        state.PSVariable.GetValue("global:" + RuntimeVariable) is JobRuntimeLink link ? link.Runtime : null;
}

/// <summary>The value of <c>$__SmaRuntime</c> in a job's runspace: which store the job belongs to.</summary>
public sealed class JobRuntimeLink
{
    internal JobRuntimeLink(SmaRuntime runtime) => Runtime = runtime;

    internal SmaRuntime Runtime { get; }

    /// <summary>Where the job's store lives.</summary>
    public string StoreLocation => Runtime.Store.Description;

    public override string ToString() => StoreLocation;
}
