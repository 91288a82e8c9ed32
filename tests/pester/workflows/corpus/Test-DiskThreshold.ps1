<#
.SYNOPSIS
    Compares each drive's free space with the threshold kept in a variable asset; drives below it are reported
    with Write-Error (non-terminating: the check goes on) and their count is written back to an asset.
.DESCRIPTION
    Corpus: Get-AutomationVariable, Set-AutomationVariable, non-terminating errors in a workflow.
#>
workflow Test-DiskThreshold
{
    [OutputType([string])]
    param(
        # Drives as "letter:percent free", e.g. C:42
        [Parameter(Mandatory = $true)]
        [string[]] $Drives
    )

    $threshold = Get-AutomationVariable -Name 'DiskThresholdPercent'
    $low = 0
    foreach ($drive in $Drives)
    {
        $letter, $free = $drive -split ':'
        if ([int] $free -lt $threshold)
        {
            Write-Error -Message "Drive ${letter}: has only $free% free (threshold $threshold%)"
            $low++
        }
        else
        {
            "Drive ${letter}: ok ($free% free)"
        }
    }
    Set-AutomationVariable -Name 'DiskLowCount' -Value $low
    "$low of $($Drives.Count) drives below $threshold%"
}
