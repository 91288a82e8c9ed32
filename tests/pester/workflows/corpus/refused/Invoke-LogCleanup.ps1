<#
.SYNOPSIS
    Refused at import: the author tried the workflow out by calling it at the end of the file. SMA runs the
    workflow, never script around it, so the import names that line.
#>
workflow Invoke-LogCleanup
{
    param([string] $Path = '/var/log/app', [int] $KeepDays = 7)

    $limit = (Get-Date).AddDays(-$KeepDays)
    "removing files in $Path older than $limit"
}

# Try it out:
Invoke-LogCleanup -Path /tmp -KeepDays 1 -Verbose
