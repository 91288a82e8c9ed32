using System.Management.Automation.Runspaces;

namespace Sma.Engine.Execution;

/// <summary>
/// SMA's asset activities as functions of every job's InitialSessionState: defined once with the session state (no
/// module to import, nothing per runspace beyond the function table), each a thin call into <c>$__SmaAssets</c>, the
/// job's <see cref="AutomationAssets"/>. A failed call is a terminating error with the engine's ErrorId, e.g.
/// <c>VariableNotFound,Get-AutomationVariable</c> (a Script runbook fails, a Workflow runbook suspends, unless the
/// runbook catches it).
/// </summary>
internal static class AutomationActivities
{
    /// <summary>The variable through which the activities reach their job's assets.</summary>
    public const string ContextVariable = "__SmaAssets";

    // The error is written under 'Stop': it terminates the runbook (not only the statement), is catchable, and points
    // at the runbook's line that called the activity (a throw would point inside this function).
    private const string Call = "if ($null -eq $global:" + ContextVariable + ") { throw '{0} works only inside an Sma job.' }\n" +
                                "try { $global:" + ContextVariable + ".{1} }\n" +
                                "catch { $ErrorActionPreference = 'Stop'; $PSCmdlet.WriteError($global:" + ContextVariable + ".ErrorFor($_)) }";

    private static readonly (string Name, string Definition)[] Functions =
    {
        Define("Get-AutomationVariable",
            "Gets the value of an Sma variable asset (an encrypted one decrypted).",
            "[OutputType([object])]",
            "[Parameter(Mandatory, Position = 0)] [string] $Name",
            "GetVariable($Name)"),
        Define("Set-AutomationVariable",
            "Sets the value of an existing Sma variable asset; it keeps its type and its encryption.",
            "",
            "[Parameter(Mandatory, Position = 0)] [string] $Name, [Parameter(Mandatory, Position = 1)] [AllowNull()] [object] $Value",
            "SetVariable($Name, $Value)"),
        Define("Get-AutomationPSCredential",
            "Gets an Sma credential asset as a PSCredential.",
            "[OutputType([pscredential])]",
            "[Parameter(Mandatory, Position = 0)] [string] $Name",
            "GetCredential($Name)"),
        Define("Get-AutomationConnection",
            "Gets an Sma connection asset as a hashtable of its field values (encrypted ones decrypted).",
            "[OutputType([hashtable])]",
            "[Parameter(Mandatory, Position = 0)] [string] $Name",
            "GetConnection($Name)"),
        Define("Get-AutomationCertificate",
            "Gets an Sma certificate asset as an X509Certificate2, with its private key when it has one.",
            "[OutputType([System.Security.Cryptography.X509Certificates.X509Certificate2])]",
            "[Parameter(Mandatory, Position = 0)] [string] $Name",
            "GetCertificate($Name)"),
    };

    /// <summary>A factory giving <paramref name="inner"/>'s session state with the activities added (built once).</summary>
    public static ISessionStateFactory Around(ISessionStateFactory inner) => new WithActivities(inner);

    private static (string, string) Define(string name, string synopsis, string outputType, string parameters, string call) =>
        (name, $"<#\n.SYNOPSIS\n{synopsis}\n#>\n[CmdletBinding()]\n{outputType}\nparam({parameters})\n" +
               Call.Replace("{1}", call).Replace("{0}", name));

    private sealed class WithActivities : ISessionStateFactory
    {
        private readonly Lazy<InitialSessionState> _state;

        public WithActivities(ISessionStateFactory inner) => _state = new Lazy<InitialSessionState>(() =>
        {
            var iss = inner.Create().Clone();
            foreach (var (name, definition) in Functions)
                iss.Commands.Add(new SessionStateFunctionEntry(name, definition));
            return iss;
        }, LazyThreadSafetyMode.ExecutionAndPublication);

        public InitialSessionState Create() => _state.Value;
    }
}
