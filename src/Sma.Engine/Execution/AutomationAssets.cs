using System.Collections;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using Sma.Engine.Services;

namespace Sma.Engine.Execution;

/// <summary>
/// The object behind <c>$__SmaAssets</c> in a job's runspace, called by the asset activities (Get-AutomationVariable,
/// Set-AutomationVariable, Get-AutomationPSCredential, Get-AutomationConnection, Get-AutomationCertificate). Assets are
/// read from the store when asked, so an asset added after the runbook was imported is found. Every secret handed out
/// is remembered by the job (<see cref="JobSecrets"/>). Public only so PowerShell can call it; not for runbooks to use.
/// </summary>
public sealed class AutomationAssets
{
    private readonly AssetService _assets;
    private readonly JobSecrets _secrets;

    internal AutomationAssets(AssetService assets, JobSecrets secrets)
    {
        _assets = assets;
        _secrets = secrets;
    }

    public object? GetVariable(string name) => _assets.ReadVariable(name, _secrets.Add);

    public void SetVariable(string name, object? value) => _assets.WriteVariable(name, value, _secrets.Add);

    public PSCredential GetCredential(string name) => _assets.ReadCredential(name, _secrets.Add);

    public Hashtable GetConnection(string name) => _assets.ReadConnection(name, _secrets.Add);

    public X509Certificate2 GetCertificate(string name) => _assets.ReadCertificate(name);

    /// <summary>
    /// The error an activity throws for a failed call: the engine's own (VariableNotFound, ...) with its ErrorId and
    /// category, rather than PowerShell's "Exception calling ... with 1 argument(s)" wrapper.
    /// </summary>
    public ErrorRecord ErrorFor(ErrorRecord caught)
    {
        var inner = caught.Exception is MethodInvocationException { InnerException: { } e } ? e : caught.Exception;
        return inner is SmaException sma
            ? new ErrorRecord(sma, sma.ErrorId, sma.Category, sma.Target)
            : new ErrorRecord(inner, "AutomationAssetUnavailable", ErrorCategory.ResourceUnavailable, null);
    }
}
