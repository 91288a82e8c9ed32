<#
.SYNOPSIS
    Microsoft's checkpoint sample for SMA, as a workflow: the first run fails after its checkpoint and suspends;
    once the cause is fixed (the HasBeenSuspended flag is set), Resume-SmaJob continues from the checkpoint.
.NOTES
    SMA's sample reads and sets the variable asset 'HasBeenSuspended' with Get-AutomationVariable and
    Set-AutomationVariable. Variable assets are being added to the engine separately; until they exist, the two
    functions below stand in for those activities, keeping the flag in a file. When the asset activities land,
    delete the two functions and create the asset in the test (Set-SmaVariable HasBeenSuspended $false).
#>
workflow Test-Checkpoint
{
    param([Parameter(Mandatory = $true)] [string] $Folder)

    function Get-AutomationVariable([string] $Name) { Test-Path (Join-Path $Folder $Name) }
    function Set-AutomationVariable([string] $Name, $Value) { if ($Value) { New-Item -ItemType File -Path (Join-Path $Folder $Name) -Force | Out-Null } }

    $output = 'Output 1'
    Write-Output $output
    Checkpoint-Workflow

    $hasBeenSuspended = Get-AutomationVariable -Name 'HasBeenSuspended'
    if (-not $hasBeenSuspended)
    {
        Set-AutomationVariable -Name 'HasBeenSuspended' -Value $true
        Write-Error 'Suspending the runbook on purpose, after the checkpoint.' -ErrorAction Stop
    }

    $output = 'Output 2'
    Write-Output $output
}
