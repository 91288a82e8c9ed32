using System.Management.Automation.Runspaces;

namespace Sma.Engine.Workflows;

/// <summary>
/// The commands translated workflows call, present in every job runspace (and so in every branch runspace). Their
/// variables are named __Sma* so that the activities they run (dot-sourced, for retries) see the workflow's own
/// variables unshadowed; they are left out of parallel branches' copies.
/// </summary>
internal static class WorkflowCommands
{
    // The errors these commands raise themselves are written once, silently (so PowerShell gives them the line where
    // the command was called, the activity's own), taken back from $Error and thrown: a terminating error at that line.
    // 'throw' obeys a SilentlyContinue preference, so the preference is Continue when they throw.

    /// <summary>Writes what the branches of a run wrote, in order, to this pipeline's streams; then its outcome.</summary>
    private const string Receive = """
        [CmdletBinding()]
        param([Parameter(Position = 0)] $__SmaRun)
        foreach ($__SmaRecord in $__SmaRun) {
            switch ($__SmaRecord.Kind) {
                'Tick' { }
                'Output' { $PSCmdlet.WriteObject($__SmaRecord.Value, $false) }
                'Error' { $PSCmdlet.WriteError($__SmaRecord.Value) }
                'Warning' { $PSCmdlet.WriteWarning($__SmaRecord.Value.Message) }
                'Verbose' { $PSCmdlet.WriteVerbose($__SmaRecord.Value.Message) }
                'Debug' { $PSCmdlet.WriteDebug($__SmaRecord.Value.Message) }
                'Information' { $PSCmdlet.WriteInformation($__SmaRecord.Value) }
                'Progress' { $PSCmdlet.WriteProgress($__SmaRecord.Value) }
            }
        }
        $__SmaRun.ThrowIfStopped()
        # A branch's terminating error ends the block with that error, its position the branch's own line.
        if ($__SmaRun.Failure) { $ErrorActionPreference = 'Continue'; throw $__SmaRun.Failure }
        """;

    /// <summary>Parallel { }: the branches concurrently; variables they created with $Workflow: join the workflow's scope.</summary>
    private const string Parallel = """
        [CmdletBinding()]
        param([Parameter(Position = 0)] [object[]] $__SmaVariables, [Parameter(Position = 1)] [object[]] $__SmaBranches)
        $__SmaRun = $__SmaWorkflow.Parallel($__SmaVariables, @(Get-ChildItem -Path function:),
            $ExecutionContext.SessionState.Path.CurrentFileSystemLocation.ProviderPath, $__SmaBranches)
        try {
            Receive-SmaWorkflowRun $__SmaRun
            foreach ($__SmaVariable in $__SmaRun.CreatedVariables) { Set-Variable -Name $__SmaVariable.Name -Value $__SmaVariable.Value -Scope 1 }
        }
        finally { $__SmaRun.Dispose() }
        """;

    /// <summary>foreach -parallel: the body once per item, at most ThrottleLimit at once.</summary>
    private const string ForEach = """
        [CmdletBinding()]
        param([Parameter(Position = 0)] [object[]] $__SmaVariables, [Parameter(Position = 1)] [string] $__SmaName,
            [Parameter(Position = 2)] [AllowNull()] [object] $__SmaItems, [Parameter(Position = 3)] [AllowNull()] [object] $__SmaThrottleLimit,
            [Parameter(Position = 4)] [scriptblock] $__SmaBody)
        $__SmaRun = $__SmaWorkflow.ForEach($__SmaVariables, @(Get-ChildItem -Path function:),
            $ExecutionContext.SessionState.Path.CurrentFileSystemLocation.ProviderPath, $__SmaName, $__SmaItems, $__SmaThrottleLimit, $__SmaBody)
        try {
            Receive-SmaWorkflowRun $__SmaRun
            foreach ($__SmaVariable in $__SmaRun.CreatedVariables) { Set-Variable -Name $__SmaVariable.Name -Value $__SmaVariable.Value -Scope 1 }
        }
        finally { $__SmaRun.Dispose() }
        """;

    /// <summary>
    /// -PSActionRetryCount/-PSActionRetryIntervalSec: attempts before the last one stop at their first error and are
    /// retried; the last runs as the activity would. -PSActionRunningTimeoutSec/-PSRunningTimeoutSec (per attempt)
    /// and -PSElapsedTimeoutSec (in all): the activity runs in a runspace of its own and is stopped when time is up.
    /// </summary>
    private const string Activity = """
        [CmdletBinding()]
        param([Parameter(Position = 0)] [hashtable] $__SmaOptions, [Parameter(Position = 1)] [scriptblock] $__SmaActivity)
        $__SmaRetries = 0
        if ($__SmaOptions.ContainsKey('PSActionRetryCount')) { $__SmaRetries = [int] $__SmaOptions['PSActionRetryCount'] }
        $__SmaInterval = 1
        if ($__SmaOptions.ContainsKey('PSActionRetryIntervalSec')) { $__SmaInterval = [double] $__SmaOptions['PSActionRetryIntervalSec'] }
        $__SmaTimeout = 0
        foreach ($__SmaKey in 'PSActionRunningTimeoutSec', 'PSRunningTimeoutSec') {
            if ($__SmaOptions.ContainsKey($__SmaKey) -and ($__SmaTimeout -eq 0 -or [double] $__SmaOptions[$__SmaKey] -lt $__SmaTimeout)) {
                $__SmaTimeout = [double] $__SmaOptions[$__SmaKey]
            }
        }
        $__SmaDeadline = $null
        if ($__SmaOptions.ContainsKey('PSElapsedTimeoutSec')) { $__SmaDeadline = [datetime]::UtcNow.AddSeconds([double] $__SmaOptions['PSElapsedTimeoutSec']) }
        $__SmaPreference = $ErrorActionPreference
        for ($__SmaAttempt = 1; ; $__SmaAttempt++) {
            $__SmaLast = $__SmaAttempt -gt $__SmaRetries
            try {
                $ErrorActionPreference = if ($__SmaLast) { $__SmaPreference } else { 'Stop' }
                $__SmaLimit = $__SmaTimeout
                if ($null -ne $__SmaDeadline) {
                    $__SmaLeft = ($__SmaDeadline - [datetime]::UtcNow).TotalSeconds
                    if ($__SmaLimit -eq 0 -or $__SmaLeft -lt $__SmaLimit) { $__SmaLimit = [Math]::Max(0.001, $__SmaLeft) }
                }
                if ($__SmaLimit -gt 0) {
                    $__SmaRun = $__SmaWorkflow.Timed(@(Get-Variable), @(Get-ChildItem -Path function:),
                        $ExecutionContext.SessionState.Path.CurrentFileSystemLocation.ProviderPath, $__SmaActivity, $__SmaLimit)
                    try {
                        Receive-SmaWorkflowRun $__SmaRun
                        if ($__SmaRun.TimedOut) {
                            $__SmaError = $__SmaWorkflow.TimedOut($__SmaOptions['Activity'], $__SmaOptions['Line'], $__SmaLimit)
                            $ErrorActionPreference = 'SilentlyContinue'; $PSCmdlet.WriteError($__SmaError); $ErrorActionPreference = 'Continue'; throw $Error[0]
                        }
                    }
                    finally { $__SmaRun.Dispose() }
                }
                else {
                    . $__SmaActivity
                }
                $ErrorActionPreference = $__SmaPreference
                return
            }
            catch {
                if ($__SmaLast) { $ErrorActionPreference = 'Continue'; throw }
                $ErrorActionPreference = $__SmaPreference
                Write-Verbose "$($__SmaOptions['Activity']) at line $($__SmaOptions['Line']) failed (attempt $__SmaAttempt of $($__SmaRetries + 1)): $_ Retrying in $__SmaInterval s."
                Start-Sleep -Milliseconds ([int] (1000 * $__SmaInterval))
            }
        }
        """;

    /// <summary>An activity or InlineScript with -PSComputerName: Invoke-Command on those computers, or a clear error.</summary>
    private const string Remote = """
        [CmdletBinding()]
        param([string] $Activity, [int] $Line, [scriptblock] $ScriptBlock, [hashtable] $Using,
            [string[]] $PSComputerName, [uri[]] $PSConnectionURI, [pscredential] $PSCredential, [string] $PSAuthentication,
            [int] $PSPort, [switch] $PSUseSSL, [string] $PSConfigurationName, [string] $PSApplicationName,
            [object] $PSSessionOption, [string] $PSCertificateThumbprint, [switch] $PSAllowRedirection,
            [int] $PSConnectionRetryCount, [double] $PSConnectionRetryIntervalSec = 1)
        $__SmaSplat = @{ ScriptBlock = $ScriptBlock; ArgumentList = @(, $Using) }
        if ($PSComputerName) { $__SmaSplat['ComputerName'] = $PSComputerName }
        if ($PSConnectionURI) { $__SmaSplat['ConnectionUri'] = $PSConnectionURI }
        if ($PSCredential) { $__SmaSplat['Credential'] = $PSCredential }
        if ($PSAuthentication) { $__SmaSplat['Authentication'] = $PSAuthentication }
        if ($PSPort) { $__SmaSplat['Port'] = $PSPort }
        if ($PSUseSSL) { $__SmaSplat['UseSSL'] = $true }
        if ($PSConfigurationName) { $__SmaSplat['ConfigurationName'] = $PSConfigurationName }
        if ($PSApplicationName) { $__SmaSplat['ApplicationName'] = $PSApplicationName }
        if ($PSSessionOption) { $__SmaSplat['SessionOption'] = $PSSessionOption }
        if ($PSCertificateThumbprint) { $__SmaSplat['CertificateThumbprint'] = $PSCertificateThumbprint }
        if ($PSAllowRedirection) { $__SmaSplat['AllowRedirection'] = $true }
        $__SmaTargets = [string[]] @(@($PSComputerName) + @($PSConnectionURI) | Where-Object { $_ })
        for ($__SmaAttempt = 0; ; $__SmaAttempt++) {
            try {
                Invoke-Command @__SmaSplat
                return
            }
            catch {
                if ($_.FullyQualifiedErrorId -like 'System.Management.Automation.Remoting.PSRemotingDataStructureException,*') {
                    # No remoting client on this machine (WSMan needs Windows): a clear error at the activity's line.
                    $__SmaError = $__SmaWorkflow.RemotingUnavailable($Activity, $Line, $__SmaTargets, $_.Exception.Message)
                    $ErrorActionPreference = 'SilentlyContinue'; $PSCmdlet.WriteError($__SmaError); $ErrorActionPreference = 'Continue'; throw $Error[0]
                }
                if ($_.Exception -isnot [System.Management.Automation.Remoting.PSRemotingTransportException] -or $__SmaAttempt -ge $PSConnectionRetryCount) { throw }
                Write-Verbose "$Activity at line ${Line}: connecting failed ($($_.Exception.Message)); retrying in $PSConnectionRetryIntervalSec s."
                Start-Sleep -Milliseconds ([int] (1000 * $PSConnectionRetryIntervalSec))
            }
        }
        """;

    /// <summary>-DisplayName and the like: kept for a command that has such a parameter, dropped (with a Verbose record) for the rest.</summary>
    private const string ActivityArgs = """
        [CmdletBinding()]
        param([Parameter(Position = 0)] [string] $__SmaCommand, [Parameter(Position = 1)] [int] $__SmaLine, [Parameter(Position = 2)] [hashtable] $__SmaParameters)
        $__SmaInfo = Get-Command -Name $__SmaCommand -ErrorAction Ignore | Select-Object -First 1
        $__SmaKept = $__SmaWorkflow.ActivityArguments($__SmaInfo, $__SmaParameters)
        foreach ($__SmaName in $__SmaParameters.Keys) {
            if (-not $__SmaKept.ContainsKey($__SmaName)) {
                Write-Verbose "-$__SmaName of $__SmaCommand at line $__SmaLine was ignored: $__SmaCommand has no such parameter (in Windows PowerShell Workflow it only named the activity)."
            }
        }
        $__SmaKept
        """;

    private static readonly (string Name, string Definition)[] All =
    {
        ("Receive-SmaWorkflowRun", Receive),
        ("Invoke-SmaWorkflowParallel", Parallel),
        ("Invoke-SmaWorkflowForEach", ForEach),
        ("Invoke-SmaWorkflowActivity", Activity),
        ("Invoke-SmaWorkflowRemote", Remote),
        ("Get-SmaWorkflowActivityArgs", ActivityArgs),
    };

    /// <summary>
    /// The commands whose script blocks run in runspaces of their own (Parallel, foreach -parallel, timed activities):
    /// a checkpoint taken there reaches the job from another thread, attributed to the statement calling the command.
    /// </summary>
    public static readonly IReadOnlyList<string> Helpers = new[]
    {
        "Invoke-SmaWorkflowParallel", "Invoke-SmaWorkflowForEach", "Invoke-SmaWorkflowActivity",
    };

    /// <summary>Adds the commands to a job's InitialSessionState.</summary>
    public static void AddTo(InitialSessionState state)
    {
        foreach (var (name, definition) in All)
            state.Commands.Add(new SessionStateFunctionEntry(name, definition));
    }
}
