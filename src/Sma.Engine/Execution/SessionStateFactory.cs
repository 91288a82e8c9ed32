using System.Management.Automation.Runspaces;

namespace Sma.Engine.Execution;

/// <summary>Gives each job's runspace its InitialSessionState. Injectable so a test host can add the modules it lacks.</summary>
public interface ISessionStateFactory
{
    InitialSessionState Create();
}

/// <summary>
/// The default: PowerShell's built-in cmdlets and providers. One template is built once and shared; every runspace
/// made from it is new (a runspace is never reused across jobs).
/// </summary>
public sealed class DefaultSessionStateFactory : ISessionStateFactory
{
    private readonly Lazy<InitialSessionState> _template = new(() =>
    {
        var iss = InitialSessionState.CreateDefault();
        iss.ThreadOptions = System.Management.Automation.Runspaces.PSThreadOptions.UseNewThread;
        return iss;
    });

    public InitialSessionState Create() => _template.Value;
}
