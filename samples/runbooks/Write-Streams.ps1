<#
.SYNOPSIS
    Writes to every stream, so you can see how a job records them in order.
    Verbose, Progress and Debug records are kept only when the runbook's LogVerbose, LogProgress
    and LogDebug settings are on (Set-SmaRunbookConfiguration).
#>
param([int] $Items = 3)

Write-Output "Processing $Items items"
foreach ($i in 1..$Items) {
    Write-Progress -Activity 'Processing' -Status "Item $i" -PercentComplete ($i * 100 / $Items)
    Write-Verbose "Looking at item $i"
    if ($i % 2 -eq 0) {
        Write-Warning "Item $i is even; skipping it"
        continue
    }
    [pscustomobject]@{ Item = $i; Square = $i * $i }
}
Write-Error 'Item 99 was not found (a non-terminating error: the job carries on)'
Write-Host 'Done (Write-Host goes to the Information stream)'
