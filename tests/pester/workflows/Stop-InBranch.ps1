<#
.SYNOPSIS
    A terminating error in one branch stops the others and suspends the job; positions name the original lines.
#>
workflow Stop-InBranch
{
    param([Parameter(Mandatory = $true)] [string] $Folder)

    Get-Item -Path (Join-Path $Folder 'missing-before-the-branches')
    Parallel
    {
        Sequence
        {
            while (-not (Test-Path (Join-Path $Folder 'never'))) { Start-Sleep -Milliseconds 20 }
            'the waiting branch finished'
        }
        Sequence
        {
            Get-Item -Path (Join-Path $Folder 'missing-in-a-branch')
            Get-Item -Path (Join-Path $Folder 'missing') -ErrorAction Stop
        }
    }
    'not reached'
}
