<#
.SYNOPSIS
    Microsoft's checkpoint sample for SMA, as the workflow it was: the first run fails after its checkpoint and is
    suspended; the variable asset HasBeenSuspended then says the cause is fixed, and Resume-SmaJob continues from the
    checkpoint (the output before it is not written again).
#>
workflow Test-Checkpoint
{
    Write-Output 'Starting the runbook'
    Set-AutomationVariable -Name 'HasBeenSuspended' -Value $false
    Checkpoint-Workflow

    $suspended = Get-AutomationVariable -Name 'HasBeenSuspended'
    if (-not $suspended)
    {
        Set-AutomationVariable -Name 'HasBeenSuspended' -Value $true
        # A runtime error: a Workflow runbook is suspended by it.
        Get-Item -Path '/no/such/path/for/sma' -ErrorAction Stop
    }
    Write-Output 'Finished the runbook'
}
