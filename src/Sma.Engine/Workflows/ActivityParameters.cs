namespace Sma.Engine.Workflows;

/// <summary>What the translation does with one of Windows PowerShell Workflow's activity common parameters.</summary>
internal enum ActivityParameterUse
{
    /// <summary>-PSPersist: a checkpoint after the statement.</summary>
    Persist,

    /// <summary>-PSActionRetryCount, -PSActionRetryIntervalSec, the timeouts: the activity runs under a wrapper.</summary>
    Wrapper,

    /// <summary>-PSComputerName and the connection parameters: the activity runs through Invoke-Command.</summary>
    Remoting,

    /// <summary>-PSRequiredModules: Import-Module before the activity.</summary>
    RequiredModules,

    /// <summary>-MergeErrorToOutput: the activity's errors are redirected to its output (2>&amp;1).</summary>
    MergeErrorToOutput,

    /// <summary>-DisplayName: many cmdlets have a parameter of that name; kept for them, dropped for the rest.</summary>
    KeepIfCommandHasIt,

    /// <summary>Means nothing outside Workflow Foundation: dropped, with a Verbose record saying so.</summary>
    Dropped,
}

/// <summary>
/// The activity common parameters of Windows PowerShell Workflow (about_ActivityCommonParameters) that are not
/// PowerShell's own common parameters (-Verbose, -Debug, -ErrorAction, -WarningAction stay as they are).
/// </summary>
internal static class ActivityParameters
{
    private static readonly Dictionary<string, (ActivityParameterUse Use, string Why)> Table = new(StringComparer.OrdinalIgnoreCase)
    {
        ["PSPersist"] = (ActivityParameterUse.Persist, ""),
        ["PSActionRetryCount"] = (ActivityParameterUse.Wrapper, ""),
        ["PSActionRetryIntervalSec"] = (ActivityParameterUse.Wrapper, ""),
        ["PSActionRunningTimeoutSec"] = (ActivityParameterUse.Wrapper, ""),
        ["PSRunningTimeoutSec"] = (ActivityParameterUse.Wrapper, ""),
        ["PSElapsedTimeoutSec"] = (ActivityParameterUse.Wrapper, ""),
        ["PSComputerName"] = (ActivityParameterUse.Remoting, ""),
        ["PSCredential"] = (ActivityParameterUse.Remoting, ""),
        ["PSAuthentication"] = (ActivityParameterUse.Remoting, ""),
        ["PSPort"] = (ActivityParameterUse.Remoting, ""),
        ["PSUseSSL"] = (ActivityParameterUse.Remoting, ""),
        ["PSConfigurationName"] = (ActivityParameterUse.Remoting, ""),
        ["PSApplicationName"] = (ActivityParameterUse.Remoting, ""),
        ["PSConnectionURI"] = (ActivityParameterUse.Remoting, ""),
        ["PSSessionOption"] = (ActivityParameterUse.Remoting, ""),
        ["PSCertificateThumbprint"] = (ActivityParameterUse.Remoting, ""),
        ["PSAllowRedirection"] = (ActivityParameterUse.Remoting, ""),
        ["PSConnectionRetryCount"] = (ActivityParameterUse.Remoting, ""),
        ["PSConnectionRetryIntervalSec"] = (ActivityParameterUse.Remoting, ""),
        ["PSRequiredModules"] = (ActivityParameterUse.RequiredModules, ""),
        ["MergeErrorToOutput"] = (ActivityParameterUse.MergeErrorToOutput, ""),
        ["DisplayName"] = (ActivityParameterUse.KeepIfCommandHasIt, "it only named the activity in Windows PowerShell Workflow"),
        ["PSDisableSerialization"] = (ActivityParameterUse.Dropped, "activities here hand on live objects, never serialized ones"),
        ["PSDisableSerializationPreference"] = (ActivityParameterUse.Dropped, "activities here hand on live objects, never serialized ones"),
        ["PSProgressMessage"] = (ActivityParameterUse.Dropped, "it only labelled Workflow Foundation's progress records"),
        ["PSRemotingBehavior"] = (ActivityParameterUse.Dropped, "remoting is chosen by -PSComputerName alone"),
        ["AppendOutput"] = (ActivityParameterUse.Dropped, "it only bound Workflow Foundation variables; assign the output instead"),
        ["Result"] = (ActivityParameterUse.Dropped, "it only bound Workflow Foundation variables; assign the output instead"),
        ["UseDefaultInput"] = (ActivityParameterUse.Dropped, "it only bound Workflow Foundation variables"),
        ["PSError"] = (ActivityParameterUse.Dropped, "errors go to the job's error stream"),
        ["PSWarning"] = (ActivityParameterUse.Dropped, "warnings go to the job's warning stream"),
        ["PSVerbose"] = (ActivityParameterUse.Dropped, "verbose records follow the runbook's LogVerbose setting"),
        ["PSDebug"] = (ActivityParameterUse.Dropped, "debug records follow the runbook's LogDebug setting"),
        ["PSProgress"] = (ActivityParameterUse.Dropped, "progress records follow the runbook's LogProgress setting"),
    };

    /// <summary>Parameters of a call to a workflow or function of the runbook itself that cannot be honoured there.</summary>
    public static readonly IReadOnlySet<string> NotOnNestedCalls = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "PSComputerName", "PSCredential", "PSConnectionURI", "PSSessionOption", "AsJob", "JobName", "PSParameterCollection",
    };

    public static bool TryGet(string name, out ActivityParameterUse use, out string why)
    {
        if (Table.TryGetValue(name, out var entry))
        {
            (use, why) = entry;
            return true;
        }
        (use, why) = (default, "");
        return false;
    }

    /// <summary>The canonical spelling of a parameter name in the table.</summary>
    public static string Canonical(string name) => Table.Keys.First(k => k.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Invoke-Command's name for a workflow remoting parameter.</summary>
    public static string InvokeCommandName(string name) => Canonical(name) switch
    {
        "PSComputerName" => "ComputerName",
        "PSCredential" => "Credential",
        "PSAuthentication" => "Authentication",
        "PSPort" => "Port",
        "PSUseSSL" => "UseSSL",
        "PSConfigurationName" => "ConfigurationName",
        "PSApplicationName" => "ApplicationName",
        "PSConnectionURI" => "ConnectionUri",
        "PSSessionOption" => "SessionOption",
        "PSCertificateThumbprint" => "CertificateThumbprint",
        "PSAllowRedirection" => "AllowRedirection",
        var other => other, // connection retries: handled by the remoting helper itself
    };
}
