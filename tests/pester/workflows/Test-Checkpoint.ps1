<#
.SYNOPSIS
    Microsoft's checkpoint sample for SMA, as the workflow it was: the first run takes a checkpoint, then an error
    (adding a string to a number) suspends the job; the variable asset HasBeenSuspended then says the cause is fixed, and Resume-SmaJob
    continues right after the checkpoint. "Before Checkpoint" is written once, "After Checkpoint" twice.
#>
workflow Test-Checkpoint
{
    Write-Output "Before Checkpoint"
    Checkpoint-Workflow
    Write-Output "After Checkpoint"

    $suspended = Get-AutomationVariable -Name 'HasBeenSuspended'
    if ($suspended -eq $false)
    {
        Set-AutomationVariable -Name 'HasBeenSuspended' -Value $true
        # A runtime error: the workflow is suspended by it.
        1 + "abc"
    }
    Write-Output "Runbook completed"
}
