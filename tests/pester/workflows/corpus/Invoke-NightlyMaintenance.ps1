<#
.SYNOPSIS
    Runs the nightly maintenance and, the first time, starts itself again as a new job for a second pass - the SMA
    way, with Start-SmaRunbook -Name $WorkflowCommandName and the web service endpoint. A variable asset guards it
    so it restarts exactly once.
.DESCRIPTION
    Corpus: $WorkflowCommandName, Start-SmaRunbook inside a job with -WebServiceEndpoint/-Port/-Credential,
    Get-AutomationPSCredential, Get-/Set-AutomationVariable as the guard, $PSPrivateMetadata.JobId.
#>
workflow Invoke-NightlyMaintenance
{
    param([int] $Pass = 1)

    $endpoint = 'https://localhost'
    $credential = Get-AutomationPSCredential -Name 'SmaServiceAccount'
    "pass $Pass of $WorkflowCommandName"
    $restarted = Get-AutomationVariable -Name 'NightlyMaintenanceRestarted'
    if (-not $restarted)
    {
        Set-AutomationVariable -Name 'NightlyMaintenanceRestarted' -Value $true
        $job = Start-SmaRunbook -Name $WorkflowCommandName -Parameters @{ Pass = $Pass + 1 } `
            -WebServiceEndpoint $endpoint -Port 9090 -Credential $credential
        Write-Verbose "job $($PSPrivateMetadata.JobId.Guid) started pass $($Pass + 1) as job $($job.JobId)"
        'restarted once'
    }
    else
    {
        'already restarted: done'
    }
}
